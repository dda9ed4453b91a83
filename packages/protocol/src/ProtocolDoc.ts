/**
 * Renders `docs/protocol.md` from the codecs' field tables (`scripts/gen-protocol-doc.mjs` writes it; a test
 * fails when the committed file differs), so the document cannot drift from the code.
 */
import { ALL_CODECS } from './Codecs.js';
import { HEADER_LENGTH, SCHEMA_VERSION } from './MessageHeader.js';
import { fieldSize, type FieldSpec } from './MessageSpec.js';

function typeText(field: FieldSpec): string {
  switch (field.type) {
    case 'char': return `char[${field.length}]`;
    case 'padding': return `pad[${field.length}]`;
    case 'fixed8': return 'int64 (1e-8)';
    case 'epochNs': return 'int64 epoch ns';
    case 'i64': return 'int64';
    case 'f64': return 'float64';
    case 'enum': return 'u8 enum';
    case 'flags': return 'u8 flags';
    case 'bool': return 'u8 bool';
    default: return field.type;
  }
}

function valuesText(field: FieldSpec): string {
  if (field.values === undefined) return '';
  const sep = field.type === 'flags' ? ' \\| ' : ', ';
  return ` (${Object.entries(field.values).map(([v, n]) => `${v} ${n}`).join(sep)})`;
}

function table(fields: readonly FieldSpec[]): string[] {
  const rows = ['| offset | size | field | type | description |', '|---:|---:|---|---|---|'];
  for (const f of fields) {
    rows.push(`| ${f.offset} | ${fieldSize(f)} | ${f.name} | ${typeText(f)} | ${f.description}${valuesText(f)} |`);
  }
  return rows;
}

export function renderProtocolDoc(): string {
  const lines: string[] = [
    '# Wire protocol (streams 10–20)',
    '',
    '<!-- Generated from packages/protocol/src/*Codec.ts by `node packages/protocol/scripts/gen-protocol-doc.mjs`',
    '     (after `npx tsc -b packages/protocol`). Do not edit by hand: a test checks this file against the code. -->',
    '',
    `Schema version ${SCHEMA_VERSION}. All integers little-endian. Offsets are from the start of the message.`,
    '',
    '## Conventions',
    '',
    '- Exchange prices and quantities: int64 in 1e-8 units (`int64 (1e-8)`), exact as JS Numbers below 2^53.',
    '  Decimal strings are parsed exactly (`toFixed8`); model outputs are float64 in price units and seconds.',
    '- Monotonic times (`...TimeNs`, `recvTimeNs`): int64 ns of `Clock.nanoTime()`, exact as Numbers.',
    '  `recvTimeNs` is the receive time of the market event that caused the message, carried end to end.',
    '- Exchange epoch times (`int64 epoch ns`) exceed 2^53: read/write them as (ms, nanos-of-ms) or (hi, lo).',
    '- Symbols and names: NUL-padded ASCII. Every message has `sequence` (per publisher) at offset 8.',
    '- `pad` bytes are written as 0.',
    '',
    '## Header (8 bytes)',
    '',
    '| offset | size | field | type | description |',
    '|---:|---:|---|---|---|',
    '| 0 | 2 | templateId | u16 | message template (below) |',
    '| 2 | 2 | schemaVersion | u16 | readers reject versions newer than theirs (NEWER_VERSION) |',
    '| 4 | 2 | blockLength | u16 | fixed block length after the header; a repeating group starts at 8 + blockLength |',
    '| 6 | 2 | reserved | u16 | 0 |',
    '',
    'Decoding checks bounds, template, version, block length, level counts, enum values and int64 range (±2^53)',
    'before any field is read and returns OK, TRUNCATED, UNKNOWN_TEMPLATE, NEWER_VERSION or BAD_VALUE — never throws.',
    '',
    '## Using the codecs (`@mm/protocol`)',
    '',
    '- Encode in place: `encoder.wrap(claimBuffer, claimOffset).sequence(n).recvTimeNs(t)…`, then commit',
    '  `encoder.encodedLength()` bytes (for the book: claim `BookSnapshotEncoder.lengthFor(bids, asks)` and call',
    '  `levelCounts(bids, asks)` before `bid(i, …)`/`ask(i, …)`). Epoch times: `eventTimeNs(ms, nanosOfMs)`.',
    '- Decode: `new MessageDispatcher({ onTrade(d) {…}, onInvalid(result, templateId) {…} }).onMessage(buffer, offset, length)`,',
    '  or `decoder.wrapChecked(buffer, offset, length) === DecodeResult.OK` for one template. Decoders are flyweights:',
    '  copy what you keep before the next message. `symbolIndex(table)` maps the symbol without making a string.',
    '- Prices: `toFixed8("65000.12")`, `tryParseFixed8Bytes(bytes, start, end)` (NaN when invalid), `formatFixed8(units)`.',
    '- JSON (`mm tail`, dashboard): `decodeToJson(buffer, offset, length)` renders any message or `{"error": …}`.',
    '- Pricing: `PricingEncoder.values(result)` writes a models `PricingResult` in one call.',
    '',
    '## Templates',
    '',
    '| template id | name | stream | length |',
    '|---:|---|---:|---|',
  ];
  for (const spec of ALL_CODECS) {
    const fixed = HEADER_LENGTH + spec.blockLength;
    const length = spec.levels
      ? `${fixed} + ${spec.levels.entryLength} × (bidCount + askCount), max ${fixed + 2 * spec.levels.maxPerSide * spec.levels.entryLength}`
      : String(fixed);
    lines.push(`| ${spec.templateId} | ${spec.name} | ${spec.streamId} | ${length} |`);
  }
  for (const spec of ALL_CODECS) {
    lines.push('', `## ${spec.name} (template ${spec.templateId}, stream ${spec.streamId}, blockLength ${spec.blockLength})`, '');
    lines.push(spec.description, '');
    lines.push(...table(spec.fields));
    if (spec.levels) {
      lines.push('', `Levels: ${spec.levels.description}; each entry ${spec.levels.entryLength} bytes, at most ${spec.levels.maxPerSide} per side:`, '');
      lines.push(...table(spec.levels.fields));
    }
  }
  lines.push('');
  return lines.join('\n');
}
