declare module 'monaco-editor/esm/vs/editor/editor.api.js';
declare module 'monaco-editor/esm/vs/editor/editor.all.js';
declare module 'monaco-editor/esm/vs/language/json/monaco.contribution.js';
