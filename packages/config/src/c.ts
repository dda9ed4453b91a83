/**
 * The schema builder. Every builder checks its default against its own rules, so a schema with a bad default fails
 * when its module loads, not in production.
 *
 *   const schema = c.object({
 *     binance: c.object({ depthSpeedMs: c.int({ min: 100, max: 1000, default: 100 }) }),
 *     tcpPort: c.port({ default: 9001, env: 'ENGINE_TCP_PORT' }),
 *   });
 *   type Config = Infer<typeof schema>;
 */
import {
  ArrayField,
  BoolField,
  EnumField,
  NumberField,
  ObjectField,
  OptionalField,
  RecordField,
  StringField,
  type ArrayOptions,
  type Field,
  type FieldOptions,
  type NumberOptions,
  type ObjectOptions,
  type RecordOptions,
  type Shape,
  type StringOptions,
} from './fields.js';

export const c = {
  string: (options: StringOptions = {}): StringField => new StringField(options).checkDefault(),
  number: (options: NumberOptions = {}): NumberField => new NumberField(options, false).checkDefault(),
  /** Safe integer. Durations are integers with the unit in the key name (`timeoutMs` → `timeout-ms`). */
  int: (options: NumberOptions = {}): NumberField => new NumberField(options, true).checkDefault(),
  /** TCP/UDP port 0..65535 (0 = let the OS choose, used by tests). */
  port: (options: NumberOptions = {}): NumberField =>
    new NumberField({ min: 0, max: 65535, ...options }, true, 'port').checkDefault(),
  bool: (options: FieldOptions<boolean> = {}): BoolField => new BoolField(options).checkDefault(),
  enum: <const V extends string>(values: readonly [V, ...V[]], options: FieldOptions<V> = {}): EnumField<V> =>
    new EnumField<V>(values, options).checkDefault(),
  array: <I>(item: Field<I>, options: ArrayOptions<I> = {}): ArrayField<I> => new ArrayField(item, options).checkDefault(),
  /** String-keyed table (keys kept verbatim), e.g. per-symbol overrides. Absent means empty. */
  record: <V>(value: Field<V>, options: RecordOptions<V> = {}): RecordField<V> =>
    new RecordField(value, options).checkDefault(),
  object: <S extends Shape>(shape: S, options: ObjectOptions = {}): ObjectField<S> => new ObjectField(shape, options),
  optional: <T>(inner: Field<T>): OptionalField<T> => new OptionalField(inner),
} as const;
