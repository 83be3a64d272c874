// PCRE2 → JavaScript RegExp translation for the "matches" operator.
//
// Wireshark matches with PCRE2, case-insensitively unless the pattern says (?-i). The common PCRE
// syntax is translated (leading option settings, \A \z \Z \h \R \Q…\E \x{…} \e, POSIX classes,
// (?P<name>…), comments, extended mode, PCRE's '$' and '.'); atomic groups and possessive quantifiers
// are approximated by their backtracking forms (a warning says so); constructs JavaScript cannot
// express (recursion, conditionals, verbs, inline option changes mid-pattern) are rejected.
import { fail } from './errors';

export interface TranslatedRegex {
  re: RegExp;
  warnings: string[];
}

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\v\\f\\r ',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
  ascii: '\\x00-\\x7f',
};

function hexEscape(cp: number): string {
  if (cp <= 0xff) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\u{' + cp.toString(16) + '}';
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

const JS_TO_PCRE: [RegExp, string][] = [
  [/Unterminated group/i, 'missing closing parenthesis'],
  [/Unmatched '\)'/i, 'unmatched closing parenthesis'],
  [/Unterminated character class/i, 'missing terminating ] for character class'],
  [/Nothing to repeat/i, 'quantifier does not follow a repeatable item'],
  [/numbers out of order/i, 'numbers out of order in {} quantifier'],
  [/Invalid capture group name/i, 'syntax error in subpattern name (missing terminator?)'],
  [/Invalid group/i, 'unrecognized character after (? or (?-'],
  [/Range out of order/i, 'range out of order in character class'],
  [/Invalid escape/i, 'unrecognized character follows \\'],
];

function compileError(msg: string): never {
  fail(`Regex compilation error: ${msg}.`);
}

export function translatePcre(pattern: string): TranslatedRegex {
  const warnings: string[] = [];
  let i = 0;
  /** options in effect at the current point of the pattern */
  interface Opts {
    caseless: boolean;
    dotall: boolean;
    multiline: boolean;
    extended: boolean;
  }
  let o: Opts = { caseless: true, dotall: false, multiline: false, extended: false };
  let unicode = false;
  let modifiers = false;
  const setOpts = (base: Opts, on: string, off: string): Opts => {
    const n = { ...base };
    for (const c of on) {
      if (c === 'i') n.caseless = true;
      if (c === 's') n.dotall = true;
      if (c === 'm') n.multiline = true;
      if (c === 'x') n.extended = true;
    }
    for (const c of off) {
      if (c === 'i') n.caseless = false;
      if (c === 's') n.dotall = false;
      if (c === 'm') n.multiline = false;
      if (c === 'x') n.extended = false;
    }
    return n;
  };
  // leading option settings, e.g. (?i) (?-i) (?s) (?im-sx), apply to the whole pattern
  for (;;) {
    const m = /^\(\?([imsxn]*)(?:-([imsxn]*))?\)/.exec(pattern.slice(i));
    if (!m || (m[1] === '' && m[2] === undefined)) break;
    o = setOpts(o, m[1]!, m[2] ?? '');
    i += m[0].length;
  }
  const globalCaseless = o.caseless;
  /** open groups: the options outside them, and how many case-modifier groups opened inside them are pending */
  const groups: { saved: Opts; closes: number; mod: string }[] = [];
  let topCloses = 0;
  let topMod = '';
  /** a group that switches case sensitivity (JavaScript's (?i:…) modifiers) */
  const caseGroup = (caseless: boolean) => {
    modifiers = true;
    return caseless ? '(?i:' : '(?-i:';
  };
  let out = '';
  let inClass = false;
  const unsupported: (what: string) => never = (what) => compileError(`${what} is not supported by this filter engine`);
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) compileError('\\ at end of pattern');
      // \Q…\E quotes a literal run
      if (e === 'Q') {
        const stop = pattern.indexOf('\\E', i + 2);
        const lit = stop < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, stop);
        out += inClass ? lit.replace(/[\\\]^-]/g, '\\$&') : escapeLiteral(lit);
        i = stop < 0 ? pattern.length : stop + 2;
        continue;
      }
      if (e === 'E') {
        i += 2;
        continue;
      }
      if (e === 'x' && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        if (close < 0) compileError('missing terminating } in \\x{}');
        const cp = parseInt(pattern.slice(i + 3, close), 16);
        if (!Number.isFinite(cp)) compileError('non-hex character in \\x{} (closing brace missing?)');
        // Wireshark's PCRE2 runs without UTF: one byte per character
        if (cp > 0xff) compileError('character code point value in \\x{} or \\o{} is too large');
        out += hexEscape(cp);
        i = close + 1;
        continue;
      }
      if (e === 'p' || e === 'P') {
        unicode = true;
        const m = /^\\[pP](\{\^?[A-Za-z_&]+\}|[A-Za-z])/.exec(pattern.slice(i));
        if (!m) compileError('malformed \\P or \\p sequence');
        let prop = m[1]!;
        let neg = e === 'P';
        if (prop.startsWith('{^')) {
          neg = !neg;
          prop = '{' + prop.slice(2);
        }
        if (!prop.startsWith('{')) prop = '{' + prop + '}';
        if (prop === '{L&}') prop = '{LC}';
        out += (neg ? '\\P' : '\\p') + prop;
        i += m[0].length;
        continue;
      }
      if (!inClass) {
        const simple: Record<string, string> = {
          A: o.multiline ? '(?<![\\s\\S])' : '^',
          z: o.multiline ? '(?![\\s\\S])' : '$',
          Z: '(?=\\n?(?![\\s\\S]))',
          G: '^',
          h: '[\\t \\xa0]',
          H: '[^\\t \\xa0]',
          v: '[\\n\\v\\f\\r\\x85\\u2028\\u2029]',
          V: '[^\\n\\v\\f\\r\\x85\\u2028\\u2029]',
          R: '(?:\\r\\n|[\\n\\v\\f\\r\\x85\\u2028\\u2029])',
          e: '\\x1b',
          a: '\\x07',
          K: '',
          N: '[^\\n]',
        };
        if (simple[e] !== undefined) {
          out += simple[e];
          i += 2;
          continue;
        }
        if (e === 'C' || e === 'X') unsupported(`\\${e}`);
        if (e === 'g') {
          const m = /^\\g(?:\{(-?\d+|\w+)\}|(-?\d+))/.exec(pattern.slice(i));
          if (!m) unsupported('\\g');
          const ref = m[1] ?? m[2]!;
          if (ref.startsWith('-')) unsupported('relative back reference');
          out += /^\d+$/.test(ref) ? '\\' + ref : `\\k<${ref}>`;
          i += m[0].length;
          continue;
        }
        if (e === 'k' && (pattern[i + 2] === '{' || pattern[i + 2] === "'")) {
          const closeCh = pattern[i + 2] === '{' ? '}' : "'";
          const close = pattern.indexOf(closeCh, i + 3);
          if (close < 0) compileError('syntax error in subpattern name (missing terminator?)');
          out += `\\k<${pattern.slice(i + 3, close)}>`;
          i = close + 1;
          continue;
        }
      } else {
        if (e === 'h') {
          out += '\\t \\xa0';
          i += 2;
          continue;
        }
        if (e === 'e') {
          out += '\\x1b';
          i += 2;
          continue;
        }
        if (e === 'a') {
          out += '\\x07';
          i += 2;
          continue;
        }
      }
      if (e === 'o' && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        if (close < 0) compileError('missing terminating } in \\o{}');
        const cp = parseInt(pattern.slice(i + 3, close), 8);
        if (cp > 0xff) compileError('character code point value in \\x{} or \\o{} is too large');
        out += hexEscape(cp);
        i = close + 1;
        continue;
      }
      if (e === '0') {
        const m = /^\\0([0-7]{0,2})/.exec(pattern.slice(i))!;
        out += hexEscape(parseInt(m[1] || '0', 8));
        i += m[0].length;
        continue;
      }
      out += '\\' + e;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
        if (m) {
          const cls = POSIX[m[2]!];
          if (!cls) compileError('unknown POSIX class name');
          if (m[1]) unsupported('a negated POSIX class');
          out += cls;
          i += m[0].length;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      i++;
      continue;
    }
    if (o.extended) {
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      if (c === '#') {
        const nl = pattern.indexOf('\n', i);
        i = nl < 0 ? pattern.length : nl + 1;
        continue;
      }
    }
    switch (c) {
      case '[': {
        inClass = true;
        out += '[';
        i++;
        if (pattern[i] === '^') {
          out += '^';
          i++;
        }
        // a ']' right after '[' or '[^' is a literal in PCRE
        if (pattern[i] === ']') {
          out += '\\]';
          i++;
        }
        continue;
      }
      case '.':
        out += o.dotall ? '[\\s\\S]' : '[^\\n]';
        i++;
        continue;
      case '$':
        out += o.multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
        i++;
        continue;
      case '^':
        out += o.multiline ? '(?<=^|\\n)' : '^';
        i++;
        continue;
      case '*':
      case '+':
      case '?':
      case '}': {
        out += c;
        i++;
        if (pattern[i] === '+' && (c !== '}' || /\{\d+(,\d*)?\}$/.test(out))) {
          warnings.push('matches: possessive quantifiers are treated as greedy ones');
          i++;
        }
        continue;
      }
      case '(': {
        const rest = pattern.slice(i);
        if (/^\(\*UTF8?\)/.test(rest)) compileError('using UTF is disabled by the application');
        if (rest.startsWith('(*')) unsupported('a (*VERB)');
        const open = (text: string, len: number, opts: Opts = o) => {
          groups.push({ saved: o, closes: 0, mod: '' });
          o = opts;
          out += text;
          i += len;
        };
        if (!rest.startsWith('(?')) {
          open('(', 1);
          continue;
        }
        if (rest.startsWith('(?#')) {
          const close = pattern.indexOf(')', i);
          if (close < 0) compileError('missing ) after (?# comment');
          i = close + 1;
          continue;
        }
        if (rest.startsWith('(?P<') || /^\(\?<(?![=!])/.test(rest)) {
          const m = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
          if (!m) compileError('syntax error in subpattern name (missing terminator?)');
          open(`(?<${m[1]}>`, m[0].length);
          continue;
        }
        if (rest.startsWith('(?P=')) {
          const close = pattern.indexOf(')', i);
          if (close < 0) compileError('syntax error in subpattern name (missing terminator?)');
          out += `\\k<${pattern.slice(i + 4, close)}>`;
          i = close + 1;
          continue;
        }
        if (rest.startsWith("(?'")) {
          const close = pattern.indexOf("'", i + 3);
          if (close < 0) compileError('syntax error in subpattern name (missing terminator?)');
          open(`(?<${pattern.slice(i + 3, close)}>`, close + 1 - i);
          continue;
        }
        if (rest.startsWith('(?>')) {
          warnings.push('matches: atomic groups are treated as ordinary groups');
          open('(?:', 3);
          continue;
        }
        if (rest.startsWith('(?|')) {
          open('(?:', 3);
          continue;
        }
        const look = /^\(\?(?:[=!:]|<[=!])/.exec(rest);
        if (look) {
          open(look[0], look[0].length);
          continue;
        }
        const opt = /^\(\?([imsxn]*)(?:-([imsxn]*))?([:)])/.exec(rest);
        if (opt) {
          const next = setOpts(o, opt[1]!, opt[2] ?? '');
          const caseChange = next.caseless !== o.caseless;
          if (opt[3] === ':') {
            // (?i:…) scoped to the group
            open(caseChange ? caseGroup(next.caseless) : '(?:', opt[0].length, next);
            continue;
          }
          // (?i) to the end of the enclosing group (alternatives after '|' included)
          i += opt[0].length;
          o = next;
          if (caseChange) {
            const mod = caseGroup(next.caseless);
            out += mod;
            const top = groups[groups.length - 1];
            if (top) {
              top.closes++;
              top.mod = mod;
            } else {
              topCloses++;
              topMod = mod;
            }
          }
          continue;
        }
        if (/^\(\?(?:R|[+-]?\d|&|P>)/.test(rest)) unsupported('recursion');
        if (rest.startsWith('(?(')) unsupported('a conditional group');
        if (rest.startsWith('(?C')) unsupported('a callout');
        compileError('unrecognized character after (? or (?-');
        break;
      }
      case ')': {
        const g = groups.pop();
        if (!g) compileError('unmatched closing parenthesis');
        out += ')'.repeat(g.closes) + ')';
        o = g.saved;
        i++;
        continue;
      }
      case '|': {
        // a case modifier opened in this group covers the next alternative too
        const top = groups[groups.length - 1];
        const closes = top ? top.closes : topCloses;
        const mod = top ? top.mod : topMod;
        out += ')'.repeat(closes) + '|' + mod.repeat(closes);
        i++;
        continue;
      }
      default:
        out += c;
        i++;
    }
  }
  if (inClass) compileError('missing terminating ] for character class');
  if (groups.length) compileError('missing closing parenthesis');
  out += ')'.repeat(topCloses);
  const flags = (globalCaseless ? 'i' : '') + (unicode ? 'u' : '');
  try {
    return { re: new RegExp(out, flags), warnings };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (modifiers && /Invalid group/i.test(msg))
      compileError('changing case sensitivity inside a pattern needs a newer JavaScript engine');
    for (const [re, pcre] of JS_TO_PCRE) if (re.test(msg)) compileError(pcre);
    compileError(msg.replace(/^Invalid regular expression: /, ''));
  }
}
