/**
 * Split a shell command line into words the way a POSIX shell would for a pasted `curl` command:
 * single quotes, double quotes (with `\"`, `\\`, `\$`, `` \` `` escapes), ANSI-C `$'…'` strings,
 * backslash escapes and backslash-newline continuations. No expansion: `$VAR` stays as it is.
 */
export type ShellWords = { ok: true; words: string[] } | { ok: false; message: string };

const ANSI_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

export function splitShellWords(command: string): ShellWords {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const text = command.replace(/\r\n/g, '\n');

  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n') {
        i += 2; // continuation
        continue;
      }
      if (next !== undefined) {
        word += next;
        inWord = true;
      }
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    if (c === '#' && !inWord) {
      // a comment runs to the end of the line
      while (i < text.length && text[i] !== '\n') i += 1;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return { ok: false, message: "A single quote (') is never closed." };
      word += text.slice(i + 1, close);
      inWord = true;
      i = close + 1;
      continue;
    }
    if (c === '$' && text[i + 1] === "'") {
      const parsed = ansiString(text, i + 2);
      if (!parsed) return { ok: false, message: "A $'…' string is never closed." };
      word += parsed.value;
      inWord = true;
      i = parsed.end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const d = text[j] as string;
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '\\') {
          const next = text[j + 1];
          if (next === '\n') {
            j += 2;
            continue;
          }
          if (next === '"' || next === '\\' || next === '$' || next === '`') {
            word += next;
            j += 2;
            continue;
          }
        }
        word += d;
        j += 1;
      }
      if (!closed) return { ok: false, message: 'A double quote (") is never closed.' };
      inWord = true;
      i = j + 1;
      continue;
    }
    word += c;
    inWord = true;
    i += 1;
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}

/** The value of `$'…'` whose content starts at `start`, and the index after its closing quote. */
function ansiString(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  let j = start;
  while (j < text.length) {
    const c = text[j] as string;
    if (c === "'") return { value, end: j + 1 };
    if (c !== '\\') {
      value += c;
      j += 1;
      continue;
    }
    const e = text[j + 1] ?? '';
    const mapped = ANSI_ESCAPES[e];
    if (mapped !== undefined) {
      value += mapped;
      j += 2;
      continue;
    }
    const hex =
      e === 'x'
        ? /^[0-9a-fA-F]{1,2}/.exec(text.slice(j + 2))
        : e === 'u'
          ? /^[0-9a-fA-F]{1,4}/.exec(text.slice(j + 2))
          : e === 'U'
            ? /^[0-9a-fA-F]{1,8}/.exec(text.slice(j + 2))
            : null;
    const code = hex ? Number.parseInt(hex[0], 16) : -1;
    if (hex && code <= 0x10ffff) {
      value += String.fromCodePoint(code);
      j += 2 + hex[0].length;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(text.slice(j + 1));
    if (octal) {
      value += String.fromCharCode(Number.parseInt(octal[0], 8));
      j += 1 + octal[0].length;
      continue;
    }
    value += `\\${e}`;
    j += 2;
  }
  return null;
}
