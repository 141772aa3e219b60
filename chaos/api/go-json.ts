/**
 * @module chaos/api: reads request bodies the way Toxiproxy's Go `json.Decoder` does: the first JSON value only
 * (trailing bytes ignored), and Go's syntax error texts (`invalid character 'b' looking for beginning of object
 * key string`, `unexpected EOF`, `EOF`). Numbers keep their literal text for Go's int/float checks.
 */

/** A JSON number with its literal text (`1.0` and `1` differ for Go's integer fields). */
export class GoNumber {
  constructor(readonly raw: string) {}
  get value(): number {
    return Number(this.raw);
  }
}

/** A JSON object with its keys in order, duplicates kept (Go applies them in order). */
export class GoObject {
  constructor(readonly entries: readonly (readonly [string, GoValue])[]) {}
}

export type GoValue = null | boolean | string | GoNumber | GoObject | GoValue[];

/** A decode failure with Go's message (without the `bad request body: ` prefix). */
export class GoJsonError extends Error {}

/** Go's `quoteChar`. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

const WS = new Set([' ', '\t', '\n', '\r']);

/** Go's scanner limit on nesting (`exceeded max depth`). */
const MAX_DEPTH = 10_000;

class Parser {
  i = 0;
  depth = 0;
  constructor(private readonly s: string) {}

  fail(context: string): never {
    if (this.i >= this.s.length) throw new GoJsonError('unexpected EOF');
    const c = String.fromCodePoint(this.s.codePointAt(this.i) as number);
    throw new GoJsonError(`invalid character ${quoteChar(c)} ${context}`);
  }

  ws(): void {
    while (this.i < this.s.length && WS.has(this.s[this.i] as string)) this.i++;
  }

  value(): GoValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    return this.fail('looking for beginning of value');
  }

  nest(): void {
    if (++this.depth > MAX_DEPTH) throw new GoJsonError('exceeded max depth');
  }

  object(): GoObject {
    this.nest();
    this.i++;
    const entries: [string, GoValue][] = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      this.depth--;
      return new GoObject(entries);
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('after object key');
      this.i++;
      entries.push([key, this.value()]);
      this.ws();
      const c = this.s[this.i];
      if (c === ',') this.i++;
      else if (c === '}') {
        this.i++;
        this.depth--;
        return new GoObject(entries);
      } else this.fail('after object key:value pair');
    }
  }

  array(): GoValue[] {
    this.nest();
    this.i++;
    const items: GoValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      this.depth--;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.s[this.i];
      if (c === ',') this.i++;
      else if (c === ']') {
        this.i++;
        this.depth--;
        return items;
      } else this.fail('after array element');
    }
  }

  string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('');
      if (c === '"') break;
      if (c < ' ') this.fail('in string literal');
      if (c === '\\') {
        this.i++;
        const e = this.s[this.i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            this.i++;
            if (!/^[0-9a-fA-F]$/.test(this.s[this.i] ?? '')) this.fail('in \\u hexadecimal character escape');
          }
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail('in string escape code');
      }
      this.i++;
    }
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  number(): GoNumber {
    const start = this.i;
    const digit = (): boolean => /^[0-9]$/.test(this.s[this.i] ?? '');
    if (this.s[this.i] === '-') {
      this.i++;
      if (!digit()) this.fail('in numeric literal');
    }
    if (this.s[this.i] === '0') this.i++;
    else while (digit()) this.i++;
    if (this.s[this.i] === '.') {
      this.i++;
      if (!digit()) this.fail('after decimal point in numeric literal');
      while (digit()) this.i++;
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      if (!digit()) this.fail('in exponent of numeric literal');
      while (digit()) this.i++;
    }
    return new GoNumber(this.s.slice(start, this.i));
  }

  literal<T>(word: string, value: T): T {
    for (let k = 0; k < word.length; k++) {
      if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting ${quoteChar(word[k] as string)})`);
      this.i++;
    }
    return value;
  }
}

/** Decodes the first JSON value of `body`, or throws `GoJsonError` with Go's text. */
export function decodeGoJson(body: string): GoValue {
  const parser = new Parser(body);
  parser.ws();
  if (parser.i >= body.length) throw new GoJsonError('EOF');
  try {
    return parser.value();
  } catch (err) {
    // Recursion may run out of stack before Go's 10 000 levels: answer as Go does past its limit.
    if (err instanceof RangeError) throw new GoJsonError('exceeded max depth');
    throw err;
  }
}

/** Go's name for a JSON value's kind in `cannot unmarshal X into …`. */
export function goKind(value: GoValue): string {
  if (value instanceof GoNumber) return 'number';
  if (value instanceof GoObject) return 'object';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'boolean' ? 'bool' : 'string';
}
