// A strict JSON reader that remembers where each value starts, so a configuration error can
// name its line and column. One pass over the text, no regular expressions: linear on any input.

export interface JsonError {
  offset: number;
  message: string;
}

export interface Located {
  value: unknown;
  /** Offset of each value by its JSON pointer ("" is the root, "/rules/x" a member). */
  offsets: Map<string, number>;
  /** Offset of each member's name, by the member's JSON pointer. */
  keys: Map<string, number>;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parses `text` (a leading BOM is allowed); throws JsonSyntaxError with the offset of the problem. */
export function parseJsonLocated(text: string): Located {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const offsets = new Map<string, number>();
  const keys = new Map<string, number>();
  const n = text.length;
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, Math.min(at, n));
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) fail('comments are not allowed in JSON');
      else break;
    }
  };
  const describe = (at: number) => (at >= n ? 'the end of the file' : `'${text[at]}'`);
  const str = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    let run = i;
    while (true) {
      if (i >= n) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(run, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in a string (write it as an escape)');
      if (c === 92) {
        out += text.slice(run, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else fail('invalid escape in a string');
        run = i;
        continue;
      }
      i++;
    }
  };
  const num = (): number => {
    const start = i;
    if (text[i] === '-') i++;
    const digits = () => {
      const s = i;
      while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      return i - s;
    };
    if (text[i] === '0') i++;
    else if (digits() === 0) fail(`unexpected ${describe(start)}`, start);
    if (text[i] === '.') {
      i++;
      if (digits() === 0) fail('a digit must follow the decimal point');
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (digits() === 0) fail('a digit must follow the exponent');
    }
    return Number(text.slice(start, i));
  };
  const value = (pointer: string, depth: number): unknown => {
    ws();
    if (depth > 200) fail('nested too deeply');
    offsets.set(pointer, i);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      while (true) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe(i)}`);
        const keyAt = i;
        const key = str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after the property name, found ${describe(i)}`);
        i++;
        const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`duplicate property "${key}"`, keyAt);
        keys.set(child, keyAt);
        Object.defineProperty(obj, key, { value: value(child, depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail('trailing comma before }');
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail(`expected ',' or '}', found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      while (true) {
        arr.push(value(`${pointer}/${arr.length}`, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('trailing comma before ]');
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail(`expected ',' or ']', found ${describe(i)}`);
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail(`unexpected ${describe(i)}`);
  };
  const root = value('', 0);
  ws();
  if (i < n) fail(`unexpected ${describe(i)} after the end of the JSON value`);
  return { value: root, offsets, keys };
}

/** 1-based line and column of an offset (columns count UTF-16 code units). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      start = k + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
