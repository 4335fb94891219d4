/**
 * Which Kafka Connect config values are secrets: masked on screen, and never kept in a preset or an
 * export (there a secret becomes a `{{variable}}` asked for when the preset runs). A value that is an
 * externalized reference (`${file:/secrets.properties:password}`, a config provider) or already a
 * preset variable is not a secret itself and is kept.
 */
export const SECRET_CONFIG_KEY =
  /(password|secret|token|credential|api[._-]?key|private[._-]?key|sasl\.jaas\.config|\.key$)/i;

const isReference = (v: string) => /^\$\{.*\}$/.test(v) || /^\{\{\s*[A-Za-z_][\w.-]*\s*\}\}$/.test(v);

export const isSecretConfigValue = (key: string, value: string): boolean =>
  SECRET_CONFIG_KEY.test(key) && value !== '' && !isReference(value);

/** On screen: secret values as dots. */
export function maskConnectorSecrets(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, isSecretConfigValue(k, v) ? '••••••••' : v]));
}

/** A preset variable name for a config key (`connection.password` stays as it is; other characters become `_`). */
const variableFor = (key: string) => {
  const name = key.replace(/[^\w.-]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
};

/** In a preset or an export: each secret value becomes `{{key}}`, asked for when the preset runs. */
export function connectorSecretsAsVariables(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, isSecretConfigValue(k, v) ? `{{${variableFor(k)}}}` : v]),
  );
}
