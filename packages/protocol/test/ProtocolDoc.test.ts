import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_CODECS } from '../src/Codecs.js';
import { renderProtocolDoc } from '../src/ProtocolDoc.js';

const DOC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/protocol.md');

describe('docs/protocol.md', () => {
  it('is what the field tables generate (run scripts/gen-protocol-doc.mjs after changing a codec)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderProtocolDoc());
  });

  it('has a table row for every field of every template', () => {
    const doc = renderProtocolDoc();
    for (const spec of ALL_CODECS) {
      expect(doc).toContain(`## ${spec.name} (template ${spec.templateId}, stream ${spec.streamId}`);
      for (const f of spec.fields) expect(doc).toContain(`| ${f.offset} | `);
    }
  });
});
