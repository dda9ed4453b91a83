/** Renders a schema as rows / a Markdown table for docs/config.md (one row per leaf, array or record). */
import { envPrefix, envSegment } from './envOverrides.js';
import { ObjectField, OptionalField, RecordField, type Field, type Shape } from './fields.js';

export interface SchemaRow {
  /** TOML key path; record entries appear as `<key>`. */
  readonly key: string;
  readonly type: string;
  readonly required: boolean;
  readonly default: string;
  readonly range: string;
  /** Established variable first (it wins), then the generic one; empty inside records. */
  readonly env: readonly string[];
  readonly doc: string;
}

export function schemaRows(name: string, schema: ObjectField<Shape>): SchemaRow[] {
  const rows: SchemaRow[] = [];
  const prefix = envPrefix(name);
  const walk = (field: Field<unknown>, key: string, envName: string | undefined): void => {
    const inner = field instanceof OptionalField ? (field.inner as Field<unknown>) : field;
    if (inner instanceof ObjectField) {
      for (const e of inner.entries) {
        walk(e.field, key === '' ? e.tomlKey : `${key}.${e.tomlKey}`, envName === undefined ? undefined : envName === '' ? envSegment(e.tomlKey) : `${envName}__${envSegment(e.tomlKey)}`);
      }
      return;
    }
    const env: string[] = [];
    if (field.env !== undefined && envName !== undefined) env.push(field.env);
    if (envName !== undefined) env.push(prefix + envName);
    rows.push({
      key,
      type: field.typeName() + (field instanceof OptionalField ? ' (optional)' : ''),
      required: !field.hasDefault && !(field instanceof OptionalField) && !(field instanceof RecordField),
      default: field.defaultText(),
      range: field.rangeText(),
      env,
      doc: field.doc ?? '',
    });
    if (inner instanceof RecordField && inner.value instanceof ObjectField) {
      walk(inner.value, `${key}.<key>`, undefined);
    }
  };
  walk(schema, '', '');
  return rows;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderSchemaTable(name: string, schema: ObjectField<Shape>): string {
  const lines = ['| Key | Type | Default | Allowed | Environment | Description |', '|---|---|---|---|---|---|'];
  for (const r of schemaRows(name, schema)) {
    const def = r.required ? '**required**' : `\`${cell(r.default)}\``;
    const env = r.env.map((e) => `\`${e}\``).join(', ');
    lines.push(`| \`${cell(r.key)}\` | ${cell(r.type)} | ${def} | ${cell(r.range)} | ${env} | ${cell(r.doc)} |`);
  }
  return `${lines.join('\n')}\n`;
}
