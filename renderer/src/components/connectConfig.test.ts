import { describe, expect, it } from 'vitest';
import { connectInternalTopic, lineOfKey, maskSecrets, parseConfig } from './connectConfig';

describe('connector configs in the UI', () => {
  it('masks secret values on screen, not externalized references', () => {
    expect(
      maskSecrets({
        'connection.password': 'hunter2',
        'sasl.jaas.config': 'x required',
        topic: 't',
        'database.password': '${file:/s.properties:pw}',
      }),
    ).toEqual({
      'connection.password': '••••••••',
      'sasl.jaas.config': '••••••••',
      topic: 't',
      'database.password': '${file:/s.properties:pw}',
    });
  });
  it('reads the JSON as strings and names what is wrong', () => {
    expect(parseConfig('{"tasks.max": 2, "a": true, "b": "x"}')).toEqual({ 'tasks.max': '2', a: 'true', b: 'x' });
    expect(() => parseConfig('{"a":')).toThrow(/^The config is not valid JSON/);
    expect(() => parseConfig('[1]')).toThrow('must be a JSON object');
    expect(lineOfKey('{\n  "a": "1",\n  "tasks.max": "x"\n}', 'tasks.max')).toBe(3);
  });
  it("recognizes Connect's internal topics by the names deployments use", () => {
    expect(
      [
        'connect-configs',
        'connect-offsets',
        'connect-status',
        'my-cluster-connect-offsets',
        '_connect-status',
        'docker-connect-configs',
        'orders',
        'connect-orders',
        'status',
      ].map(connectInternalTopic),
    ).toEqual(['configs', 'offsets', 'status', 'offsets', 'status', 'configs', null, null, null]);
  });
});
