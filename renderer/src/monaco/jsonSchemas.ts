/**
 * JSON Schemas attached to Monaco models (Produce's value editor with a chosen Avro, Protobuf or JSON
 * Schema): completion and validation as typed. Monaco keeps one list of schemas for every JSON model,
 * each matched by the model's URI, so the list is rebuilt from what every editor has attached.
 */
interface JsonDefaults {
  readonly diagnosticsOptions: Record<string, unknown>;
  setDiagnosticsOptions(options: Record<string, unknown>): void;
}

const byModel = new Map<string, unknown>();

/** Attaches `schema` (a parsed JSON Schema) to the model at `modelUri`; null takes it off. */
export async function setModelSchema(modelUri: string, schema: unknown): Promise<void> {
  if (schema === null || schema === undefined) byModel.delete(modelUri);
  else byModel.set(modelUri, schema);
  // the same module loadMonaco loads (the JSON language's defaults live in it)
  const { jsonDefaults } = (await import('monaco-editor/esm/vs/language/json/monaco.contribution.js')) as {
    jsonDefaults: JsonDefaults;
  };
  jsonDefaults.setDiagnosticsOptions({
    ...jsonDefaults.diagnosticsOptions,
    validate: true,
    // a schema's own $ref to a URL is never fetched: the editor goes nowhere on the network
    enableSchemaRequest: false,
    schemas: [...byModel].map(([uri, s], i) => ({ uri: `kafka-desk://schema/${i}.json`, fileMatch: [uri], schema: s })),
  });
}
