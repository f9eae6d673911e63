import { InputError } from '@backstage/errors';
import { ConfigProperties } from '../types';
import { ConfigSetCodec, decodeUtf8 } from './ConfigSetCodec';

/*
 * Java `.properties` text, read with exactly the rules of
 * `java.util.Properties.load(Reader)` (Java 9 and later; Java 8 differs only
 * in treating `#` after a continuation of an otherwise empty line as text)
 * and written like `Properties.store(OutputStream)`.
 *
 * Reading accepts UTF-8 (ASCII with `\uXXXX` escapes is a subset of it).
 * Writing always produces pure ASCII: every character outside U+0020..U+007E
 * becomes a `\uXXXX` escape (UTF-16 code units, so astral characters become a
 * surrogate pair, as Java writes them). We chose escapes over raw UTF-8
 * because the most common Java reader, `Properties.load(InputStream)`, decodes
 * ISO-8859-1 and would garble raw UTF-8, while ASCII reads the same under
 * every decoder.
 */

/**
 * Written first so that an empty set is not a zero-length znode, which would
 * mean "no set". Java readers ignore it like any comment.
 */
const HEADER = '#Pheidippides configuration set\n';

interface LogicalLine {
  /** The logical line with continuations joined, escapes not yet processed. */
  text: string;
  /** Offset in the source of the line's first character, for error messages. */
  offset: number;
}

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

/**
 * Splits text into logical lines like `Properties.LineReader` of Java 9 and
 * later: leading whitespace is skipped, blank lines are dropped, a line whose
 * first character is `#` or `!` while the logical line is still empty is a
 * comment up to the end of the natural line (comments never continue), and a
 * line ending in an odd number of backslashes continues on the next line with
 * that line's leading whitespace skipped. So a `#` starting a continuation
 * line is ordinary text, unless the continued line so far was empty.
 */
function readLogicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let chars: string[] = [];
  let offset = 0;
  let skipWhiteSpace = true;
  let appendedLineBegin = false;
  let precedingBackslash = false;
  let skipLF = false;

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (skipLF) {
      skipLF = false;
      if (c === '\n') continue;
    }
    if (skipWhiteSpace) {
      if (isWhitespace(c)) continue;
      // Blank lines are skipped, but an empty continuation line ends the
      // logical line (Java's `appendedLineBegin`).
      if (!appendedLineBegin && (c === '\r' || c === '\n')) continue;
      skipWhiteSpace = false;
      appendedLineBegin = false;
    }
    if (chars.length === 0) {
      offset = i;
      if (c === '#' || c === '!') {
        // Skip the comment up to (not including) the line break, which the
        // blank-line rule above then swallows.
        while (
          i + 1 < text.length &&
          text[i + 1] !== '\n' &&
          text[i + 1] !== '\r'
        ) {
          i++;
        }
        skipWhiteSpace = true;
        continue;
      }
    }
    if (c !== '\n' && c !== '\r') {
      chars.push(c);
      precedingBackslash = c === '\\' ? !precedingBackslash : false;
      continue;
    }
    // End of a natural line.
    if (chars.length === 0) {
      skipWhiteSpace = true;
      continue;
    }
    if (i + 1 >= text.length) {
      // Java looks ahead before continuing: at end of input the line is
      // returned, minus a trailing backslash, even when nothing is left, so
      // a last line holding only a backslash reads as the empty key.
      break;
    }
    if (precedingBackslash) {
      // Continuation: drop the backslash, skip the next line's indentation.
      chars.pop();
      skipWhiteSpace = true;
      appendedLineBegin = true;
      precedingBackslash = false;
      if (c === '\r') skipLF = true;
      continue;
    }
    lines.push({ text: chars.join(''), offset });
    chars = [];
    skipWhiteSpace = true;
  }
  if (chars.length > 0) {
    // A backslash at end of input continues onto nothing; Java drops it.
    if (precedingBackslash) chars.pop();
    lines.push({ text: chars.join(''), offset });
  }
  return lines;
}

/** 1-based line number of an offset, counting \n, \r\n and lone \r. */
function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line += 1;
  }
  return line;
}

/**
 * Processes escapes like Java's `loadConvert`: `\uXXXX`, `\t \n \r \f`, and
 * any other escaped character stands for itself (so `\=`, `\:`, `\ `, `\\`).
 */
function unescape(
  escaped: string,
  onMalformed: (sequence: string) => never,
): string {
  if (!escaped.includes('\\')) return escaped;
  let out = '';
  let i = 0;
  while (i < escaped.length) {
    const c = escaped[i++];
    if (c !== '\\') {
      out += c;
      continue;
    }
    if (i >= escaped.length) break; // unreachable after line joining; be lenient
    const next = escaped[i++];
    switch (next) {
      case 'u': {
        const hex = escaped.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) onMalformed(`\\u${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      default:
        out += next;
    }
  }
  return out;
}

/**
 * Splits a logical line into raw key and value like Java's `load0`: the key
 * ends at the first unescaped `=`, `:` or whitespace; whitespace around one
 * `=` or `:` separator is skipped; the rest, trailing whitespace included, is
 * the value.
 */
function splitKeyValue(line: string): { key: string; value: string } {
  let keyLength = 0;
  let valueStart = line.length;
  let hasSeparator = false;
  let precedingBackslash = false;
  while (keyLength < line.length) {
    const c = line[keyLength];
    if ((c === '=' || c === ':') && !precedingBackslash) {
      valueStart = keyLength + 1;
      hasSeparator = true;
      break;
    } else if (isWhitespace(c) && !precedingBackslash) {
      valueStart = keyLength + 1;
      break;
    }
    precedingBackslash = c === '\\' ? !precedingBackslash : false;
    keyLength++;
  }
  while (valueStart < line.length) {
    const c = line[valueStart];
    if (!isWhitespace(c)) {
      if (!hasSeparator && (c === '=' || c === ':')) {
        hasSeparator = true;
      } else {
        break;
      }
    }
    valueStart++;
  }
  return { key: line.slice(0, keyLength), value: line.slice(valueStart) };
}

function toUnicodeEscape(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Escapes like Java's `saveConvert` with unicode escaping on: backslash,
 * `\t \n \r \f`, `= : # !` everywhere; spaces everywhere in keys but only
 * leading in values (trailing spaces survive because readers keep them);
 * everything outside U+0020..U+007E as `\uXXXX`.
 */
function escape(text: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const code = text.charCodeAt(i);
    switch (c) {
      case '\\':
        out += '\\\\';
        break;
      case ' ':
        out += i === 0 || isKey ? '\\ ' : ' ';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\f':
        out += '\\f';
        break;
      case '=':
      case ':':
      case '#':
      case '!':
        out += `\\${c}`;
        break;
      default:
        out += code < 0x20 || code > 0x7e ? toUnicodeEscape(code) : c;
    }
  }
  return out;
}

/** Java `.properties` text; see the file comment for the exact dialect. */
export class PropertiesConfigSetCodec implements ConfigSetCodec {
  readonly name = 'properties';

  encode(properties: Readonly<ConfigProperties>): Buffer {
    const lines = Object.keys(properties)
      .sort()
      .map(key => `${escape(key, true)}=${escape(properties[key], false)}\n`);
    return Buffer.from(HEADER + lines.join(''), 'utf8');
  }

  decode(data: Buffer, path: string): ConfigProperties {
    if (data.length === 0) {
      return {};
    }
    const text = decodeUtf8(data, path, '.properties');
    // A Map keeps keys such as "__proto__" as plain keys; later lines win,
    // as in Java.
    const entries = new Map<string, string>();
    for (const line of readLogicalLines(text)) {
      const onMalformed = (sequence: string): never => {
        throw new InputError(
          `Configuration set at ${JSON.stringify(
            path,
          )} has a malformed \\uXXXX escape ${JSON.stringify(
            sequence,
          )} on line ${lineNumberAt(text, line.offset)}`,
        );
      };
      const { key, value } = splitKeyValue(line.text);
      entries.set(unescape(key, onMalformed), unescape(value, onMalformed));
    }
    return Object.fromEntries(entries);
  }
}
