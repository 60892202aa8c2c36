// The recorder protocol schema (apps/replay/protocol/recorder.schema.json), compiled with Ajv.
import Ajv2020 from 'ajv/dist/2020.js';
import schema from '../../../apps/replay/protocol/recorder.schema.json' with { type: 'json' };

const ajv = new Ajv2020({ allErrors: true, strict: true });
// Annotations the player and server read (marker style, events-tab entry, header names never
// kept); they constrain nothing.
ajv.addVocabulary(['x-marker', 'x-timeline', 'x-finding', 'x-redacted-headers']);
ajv.addSchema(schema);

export { schema };

// validate('batch', value) → [] when valid, else Ajv's error messages.
export function validate(definition, value) {
  const check = ajv.getSchema(`${schema.$id}#/$defs/${definition}`);
  return check(value) ? [] : check.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
}
