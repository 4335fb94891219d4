import type * as Monaco from 'monaco-editor';

let loading: Promise<typeof Monaco> | null = null;

/**
 * Monaco, loaded on first use (it is large): the core editor API with its contributions (find,
 * folding, bracket matching…), the JSON language with validation, and their web workers bundled by
 * Vite from our own origin (the CSP allows `worker-src 'self' blob:`).
 */
export function loadMonaco(): Promise<typeof Monaco> {
  loading ??= (async () => {
    const [monaco, { default: EditorWorker }, { default: JsonWorker }] = await Promise.all([
      import('monaco-editor/esm/vs/editor/editor.api.js') as Promise<typeof Monaco>,
      import('monaco-editor/esm/vs/editor/editor.worker.js?worker'),
      import('monaco-editor/esm/vs/language/json/json.worker.js?worker'),
      import('monaco-editor/esm/vs/editor/editor.all.js'),
      import('monaco-editor/esm/vs/language/json/monaco.contribution.js'),
    ]);
    (self as unknown as { MonacoEnvironment: { getWorker(id: string, label: string): Worker } }).MonacoEnvironment = {
      getWorker: (_id, label) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
    };
    return monaco;
  })();
  return loading;
}
