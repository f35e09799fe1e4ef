//! A small backtracking regular-expression matcher for Grafana's regex value mappings
//! and `/pattern/flags` strings, so the bundle does not carry the `regex` crate.
//!
//! Supported (JavaScript syntax): literals, `.`, classes `[a-z0-9_]` / `[^…]`, escapes
//! `\d \D \w \W \s \S \b \B \n \t \r \.` …, anchors `^ $`, groups `( )` and `(?: )`,
//! alternation `|`, quantifiers `* + ? {n} {n,} {n,m}` and their lazy `?` forms, flags
//! `i` (ignore case), `g` (replace all) and `s` (`.` matches line breaks). Not supported: lookaround, backreferences,
//! named groups, Unicode classes — such patterns are rejected with an error.
//! Matching is RE2's bit-state backtracking: no (instruction, position) state is visited
//! twice, so time is bounded by pattern size × text length and nothing recurses; runs
//! beyond 16 M states are refused (no match).
//!
//! Contract: [`Regex::from_grafana`] follows Grafana's `stringToJsRegex`: a pattern not
//! starting with `/` is anchored as `^pattern$`; `/body/flags` is used as written.

use std::fmt;

/// A pattern this matcher cannot compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError {
    pub pattern: String,
    pub message: &'static str,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "regex `{}`: {}", self.pattern, self.message)
    }
}

impl std::error::Error for RegexError {}

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Start,
    End,
    WordBoundary(bool),
    Group(Box<Node>, Option<usize>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Regex {
    program: Vec<Inst>,
    groups: usize,
    ignore_case: bool,
    global: bool,
}

type Captures = Vec<Option<(usize, usize)>>;

impl Regex {
    /// Compiles `pattern` with JS `flags` (`i`, `g`, `s`; others are accepted and ignored).
    pub fn new(pattern: &str, flags: &str) -> Result<Self, RegexError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser {
            chars: &chars,
            pos: 0,
            groups: 0,
        };
        let err = |message| RegexError {
            pattern: pattern.to_string(),
            message,
        };
        let root = parser.alternation().map_err(err)?;
        if parser.pos != chars.len() {
            return Err(err("unbalanced `)`"));
        }
        let mut root = root;
        if flags.contains('s') {
            dot_matches_all(&mut root);
        }
        let program = compile(&root).map_err(err)?;
        Ok(Self {
            program,
            groups: parser.groups,
            ignore_case: flags.contains('i'),
            global: flags.contains('g'),
        })
    }

    /// Grafana's `stringToJsRegex`: `/body/flags`, or `^pattern$` otherwise.
    pub fn from_grafana(text: &str) -> Result<Self, RegexError> {
        match text.strip_prefix('/') {
            Some(rest) => {
                let end = rest.rfind('/').ok_or_else(|| RegexError {
                    pattern: text.to_string(),
                    message: "missing closing `/`",
                })?;
                let (body, flags) = (
                    rest.get(..end).unwrap_or(""),
                    rest.get(end + 1..).unwrap_or(""),
                );
                if !flags.chars().all(|c| "gimsuy".contains(c)) {
                    return Err(RegexError {
                        pattern: text.to_string(),
                        message: "unknown flags",
                    });
                }
                Self::new(body, flags)
            }
            None => Self::new(&format!("^(?:{text})$"), ""),
        }
    }

    /// True when the pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        self.find_from(&chars, 0).is_some()
    }

    /// JS `text.replace(regex, replacement)`: the first match (all with `g`) replaced;
    /// `$1`…`$9`, `$&` and `$$` are expanded in `replacement`.
    pub fn replace(&self, text: &str, replacement: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        let mut pos = 0;
        while let Some(caps) = self.find_from(&chars, pos) {
            let Some(Some((start, end))) = caps.first().copied() else {
                break;
            };
            out.extend(chars.get(pos..start).unwrap_or_default());
            out.push_str(&expand_replacement(replacement, &chars, &caps));
            pos = if end == start { end + 1 } else { end };
            if end == start {
                out.extend(chars.get(start..end + 1).unwrap_or_default());
            }
            if !self.global || pos > chars.len() {
                break;
            }
        }
        out.extend(chars.get(pos.min(chars.len())..).unwrap_or_default());
        out
    }

    /// The first match at or after `from`: group 0 is the whole match.
    fn find_from(&self, chars: &[char], from: usize) -> Option<Captures> {
        run(&self.program, chars, from, self.ignore_case, self.groups)
    }
}

/// Grafana's override matcher `byRegexp` (and any `stringToJsRegex` test): does `text`
/// match `pattern` (whole text unless written `/…/flags`)? Unsupported patterns match
/// nothing, as Grafana's matcher does for invalid ones.
pub fn grafana_pattern_matches(pattern: &str, text: &str) -> bool {
    !pattern.is_empty() && Regex::from_grafana(pattern).is_ok_and(|r| r.is_match(text))
}

fn expand_replacement(replacement: &str, chars: &[char], caps: &Captures) -> String {
    let group_text = |g: usize| -> String {
        match caps.get(g).copied().flatten() {
            Some((s, e)) => chars.get(s..e).unwrap_or_default().iter().collect(),
            None => String::new(),
        }
    };
    let mut out = String::new();
    let mut it = replacement.chars().peekable();
    while let Some(c) = it.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match it.peek().copied() {
            Some('$') => {
                it.next();
                out.push('$');
            }
            Some('&') => {
                it.next();
                out.push_str(&group_text(0));
            }
            Some(d)
                if d.is_ascii_digit() && d != '0' && (d as usize - '0' as usize) < caps.len() =>
            {
                it.next();
                out.push_str(&group_text(d as usize - '0' as usize));
            }
            _ => out.push('$'),
        }
    }
    out
}

/// One instruction of the compiled program (RE2-style backtracking machine).
#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    /// Any character but a line break.
    Any,
    /// Any character at all (the implicit search prefix).
    AnyAtAll,
    Class(Vec<(char, char)>, bool),
    Start,
    End,
    WordBoundary(bool),
    Save(usize),
    /// Try the first target, then the second.
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// The `s` flag: `.` also matches line breaks.
fn dot_matches_all(node: &mut Node) {
    match node {
        Node::Any => *node = Node::Class(vec![('\0', char::MAX)], false),
        Node::Group(inner, _) => dot_matches_all(inner),
        Node::Repeat { node, .. } => dot_matches_all(node),
        Node::Concat(nodes) | Node::Alt(nodes) => nodes.iter_mut().for_each(dot_matches_all),
        _ => {}
    }
}

/// Programs (times text length) beyond this are not run: no match.
const MAX_PROGRAM: usize = 20_000;
const MAX_STATES: usize = 16_000_000;

/// Compiles the pattern with a lazy "any character" prefix, so one run finds the
/// leftmost match.
fn compile(root: &Node) -> Result<Vec<Inst>, &'static str> {
    let mut prog = vec![
        Inst::Split(3, 1),
        Inst::AnyAtAll,
        Inst::Jmp(0),
        Inst::Save(0),
    ];
    emit(root, &mut prog)?;
    prog.push(Inst::Save(1));
    prog.push(Inst::Match);
    Ok(prog)
}

fn emit(node: &Node, prog: &mut Vec<Inst>) -> Result<(), &'static str> {
    if prog.len() > MAX_PROGRAM {
        return Err("pattern too large");
    }
    match node {
        Node::Char(c) => prog.push(Inst::Char(*c)),
        Node::Any => prog.push(Inst::Any),
        Node::Class(ranges, negated) => prog.push(Inst::Class(ranges.clone(), *negated)),
        Node::Start => prog.push(Inst::Start),
        Node::End => prog.push(Inst::End),
        Node::WordBoundary(b) => prog.push(Inst::WordBoundary(*b)),
        Node::Group(inner, index) => match index {
            Some(g) => {
                prog.push(Inst::Save(2 * g));
                emit(inner, prog)?;
                prog.push(Inst::Save(2 * g + 1));
            }
            None => emit(inner, prog)?,
        },
        Node::Concat(nodes) => {
            for n in nodes {
                emit(n, prog)?;
            }
        }
        Node::Alt(options) => emit_alternation(options, prog)?,
        Node::Repeat {
            node,
            min,
            max,
            greedy,
        } => emit_repeat(node, *min, *max, *greedy, prog)?,
    }
    Ok(())
}

/// `a|b|c`: split to each option in order, all jumping to the common end.
fn emit_alternation(options: &[Node], prog: &mut Vec<Inst>) -> Result<(), &'static str> {
    let mut jumps = Vec::new();
    for (i, option) in options.iter().enumerate() {
        let is_last = i + 1 == options.len();
        let split_at = prog.len();
        if !is_last {
            prog.push(Inst::Split(split_at + 1, 0));
        }
        emit(option, prog)?;
        if !is_last {
            jumps.push(prog.len());
            prog.push(Inst::Jmp(0));
            let next = prog.len();
            if let Some(Inst::Split(_, second)) = prog.get_mut(split_at) {
                *second = next;
            }
        }
    }
    let end = prog.len();
    for j in jumps {
        if let Some(Inst::Jmp(target)) = prog.get_mut(j) {
            *target = end;
        }
    }
    Ok(())
}

fn emit_repeat(
    node: &Node,
    min: u32,
    max: Option<u32>,
    greedy: bool,
    prog: &mut Vec<Inst>,
) -> Result<(), &'static str> {
    for _ in 0..min {
        emit(node, prog)?;
    }
    let split = |body: usize, exit: usize| {
        if greedy {
            Inst::Split(body, exit)
        } else {
            Inst::Split(exit, body)
        }
    };
    match max {
        None => {
            let loop_at = prog.len();
            prog.push(Inst::Jmp(0));
            emit(node, prog)?;
            prog.push(Inst::Jmp(loop_at));
            let exit = prog.len();
            if let Some(slot) = prog.get_mut(loop_at) {
                *slot = split(loop_at + 1, exit);
            }
        }
        Some(max) => {
            let mut splits = Vec::new();
            for _ in min..max {
                splits.push(prog.len());
                prog.push(Inst::Jmp(0));
                emit(node, prog)?;
            }
            let exit = prog.len();
            for at in splits {
                if let Some(slot) = prog.get_mut(at) {
                    *slot = split(at + 1, exit);
                }
            }
        }
    }
    Ok(())
}

/// A unit of backtracking work.
enum Job {
    Try(usize, usize),
    Restore(usize, Option<usize>),
}

/// Runs `prog` over `chars` from `from`, never visiting a (instruction, position) state
/// twice: a second visit cannot succeed where the first, preferred one failed.
fn run(
    prog: &[Inst],
    chars: &[char],
    from: usize,
    ignore_case: bool,
    groups: usize,
) -> Option<Captures> {
    let width = chars.len() + 1;
    if prog.len().saturating_mul(width) > MAX_STATES {
        return None;
    }
    let mut visited = vec![0u64; (prog.len() * width).div_ceil(64)];
    let mut slots: Vec<Option<usize>> = vec![None; 2 * (groups + 1)];
    let mut stack = vec![Job::Try(0, from)];
    let ctx = Ctx { chars, ignore_case };
    while let Some(job) = stack.pop() {
        let (mut pc, mut pos) = match job {
            Job::Restore(slot, old) => {
                if let Some(s) = slots.get_mut(slot) {
                    *s = old;
                }
                continue;
            }
            Job::Try(pc, pos) => (pc, pos),
        };
        loop {
            let state = pc * width + pos;
            let (word, bit) = (state / 64, 1u64 << (state % 64));
            match visited.get_mut(word) {
                Some(w) if *w & bit == 0 => *w |= bit,
                _ => break,
            }
            let Some(inst) = prog.get(pc) else { break };
            match inst {
                Inst::Match => return Some(slots_to_captures(&slots, groups)),
                Inst::Jmp(target) => pc = *target,
                Inst::Split(first, second) => {
                    stack.push(Job::Try(*second, pos));
                    pc = *first;
                }
                Inst::Save(slot) => {
                    stack.push(Job::Restore(*slot, slots.get(*slot).copied().flatten()));
                    if let Some(s) = slots.get_mut(*slot) {
                        *s = Some(pos);
                    }
                    pc += 1;
                }
                other => match ctx.step(other, pos) {
                    Some(next) => {
                        pos = next;
                        pc += 1;
                    }
                    None => break,
                },
            }
        }
    }
    None
}

fn slots_to_captures(slots: &[Option<usize>], groups: usize) -> Captures {
    (0..=groups)
        .map(|g| {
            match (
                slots.get(2 * g).copied().flatten(),
                slots.get(2 * g + 1).copied().flatten(),
            ) {
                (Some(s), Some(e)) => Some((s, e)),
                _ => None,
            }
        })
        .collect()
}

/// What single-position instructions need to know.
struct Ctx<'a> {
    chars: &'a [char],
    ignore_case: bool,
}

impl Ctx<'_> {
    fn char_eq(&self, a: char, b: char) -> bool {
        a == b || (self.ignore_case && a.to_lowercase().eq(b.to_lowercase()))
    }

    fn in_class(&self, c: char, ranges: &[(char, char)]) -> bool {
        let hit = |x: char| ranges.iter().any(|(lo, hi)| *lo <= x && x <= *hi);
        hit(c) || (self.ignore_case && (c.to_lowercase().any(hit) || c.to_uppercase().any(hit)))
    }

    fn is_word(&self, pos: usize) -> bool {
        self.chars
            .get(pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
    }

    /// The position after `inst` matches at `pos`, or `None`.
    fn step(&self, inst: &Inst, pos: usize) -> Option<usize> {
        let here = self.chars.get(pos).copied();
        let consumed = match inst {
            Inst::Char(c) => here.is_some_and(|x| self.char_eq(x, *c)),
            Inst::Any => here.is_some_and(|x| x != '\n' && x != '\r'),
            Inst::AnyAtAll => here.is_some(),
            Inst::Class(ranges, negated) => {
                here.is_some_and(|x| self.in_class(x, ranges) != *negated)
            }
            Inst::Start => return (pos == 0).then_some(pos),
            Inst::End => return (pos == self.chars.len()).then_some(pos),
            Inst::WordBoundary(expected) => {
                let at = pos.checked_sub(1).is_some_and(|p| self.is_word(p)) != self.is_word(pos);
                return (at == *expected).then_some(pos);
            }
            Inst::Save(_) | Inst::Split(..) | Inst::Jmp(_) | Inst::Match => false,
        };
        consumed.then_some(pos + 1)
    }
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    groups: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self) -> Result<Node, &'static str> {
        let mut options = vec![self.concat()?];
        while self.eat('|') {
            options.push(self.concat()?);
        }
        Ok(if options.len() == 1 {
            options.pop().unwrap_or(Node::Concat(Vec::new()))
        } else {
            Node::Alt(options)
        })
    }

    fn concat(&mut self) -> Result<Node, &'static str> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(items))
    }

    fn atom(&mut self) -> Result<Node, &'static str> {
        let c = self.peek().ok_or("unexpected end")?;
        self.pos += 1;
        Ok(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '(' => self.group()?,
            '[' => self.class()?,
            '\\' => self.escape(false)?,
            '*' | '+' | '?' => return Err("quantifier without a target"),
            other => Node::Char(other),
        })
    }

    fn group(&mut self) -> Result<Node, &'static str> {
        let index = if self.eat('?') {
            if !self.eat(':') {
                return Err("lookaround and named groups are not supported");
            }
            None
        } else {
            self.groups += 1;
            Some(self.groups)
        };
        let inner = self.alternation()?;
        if !self.eat(')') {
            return Err("missing `)`");
        }
        Ok(Node::Group(Box::new(inner), index))
    }

    fn class(&mut self) -> Result<Node, &'static str> {
        let negated = self.eat('^');
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek().ok_or("missing `]`")?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            self.pos += 1;
            let lo = if c == '\\' {
                match self.escape(true)? {
                    Node::Char(ch) => ch,
                    Node::Class(more, false) => {
                        ranges.extend(more);
                        continue;
                    }
                    _ => return Err("unsupported escape in a class"),
                }
            } else {
                c
            };
            let is_range =
                self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|n| *n != ']');
            if is_range {
                self.pos += 1;
                let hi = self.peek().ok_or("missing `]`")?;
                self.pos += 1;
                if hi < lo {
                    return Err("class range out of order");
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Node::Class(ranges, negated))
    }

    fn escape(&mut self, in_class: bool) -> Result<Node, &'static str> {
        let c = self.peek().ok_or("trailing `\\`")?;
        self.pos += 1;
        let digits = vec![('0', '9')];
        let word = vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
        let space = vec![
            (' ', ' '),
            ('\t', '\r'),
            ('\u{a0}', '\u{a0}'),
            ('\u{2028}', '\u{2029}'),
        ];
        Ok(match c {
            'd' => Node::Class(digits, false),
            'D' if !in_class => Node::Class(digits, true),
            'w' => Node::Class(word, false),
            'W' if !in_class => Node::Class(word, true),
            's' => Node::Class(space, false),
            'S' if !in_class => Node::Class(space, true),
            'b' if !in_class => Node::WordBoundary(true),
            'B' if !in_class => Node::WordBoundary(false),
            'n' => Node::Char('\n'),
            't' => Node::Char('\t'),
            'r' => Node::Char('\r'),
            'f' => Node::Char('\u{c}'),
            'v' => Node::Char('\u{b}'),
            '0' => Node::Char('\0'),
            c if c.is_ascii_digit() => return Err("backreferences are not supported"),
            c if c.is_ascii_alphanumeric() && !"DWSbB".contains(c) => {
                return Err("unsupported escape")
            }
            other => Node::Char(other),
        })
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, &'static str> {
        let (min, max) = match self.peek() {
            Some('*') => self.take_quantifier(0, None),
            Some('+') => self.take_quantifier(1, None),
            Some('?') => self.take_quantifier(0, Some(1)),
            Some('{') => match self.braces() {
                Some(bounds) => bounds,
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        if matches!(atom, Node::Start | Node::End | Node::WordBoundary(_)) {
            return Err("nothing to repeat");
        }
        let greedy = !self.eat('?');
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            greedy,
        })
    }

    /// Consumes a one-character quantifier and returns its bounds.
    fn take_quantifier(&mut self, min: u32, max: Option<u32>) -> (u32, Option<u32>) {
        self.pos += 1;
        (min, max)
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` (consuming it); `None` leaves a literal `{`.
    fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let rest: String = self.chars.get(self.pos + 1..)?.iter().collect();
        let close = rest.find('}')?;
        let body = rest.get(..close)?;
        let (lo, hi) = match body.split_once(',') {
            Some((lo, "")) => (lo.parse().ok()?, None),
            Some((lo, hi)) => (lo.parse().ok()?, Some(hi.parse().ok()?)),
            None => {
                let n = body.parse().ok()?;
                (n, Some(n))
            }
        };
        if hi.is_some_and(|h| h < lo) {
            return None;
        }
        // Skip `{`, the body and `}`.
        self.pos += body.chars().count() + 2;
        Some((lo, hi))
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    fn m(pattern: &str, text: &str) -> bool {
        Regex::new(pattern, "").unwrap().is_match(text)
    }

    #[test]
    fn basics() {
        assert!(m("abc", "xxabcxx"));
        assert!(!m("^abc$", "xxabcxx"));
        assert!(m("^a.c$", "abc"));
        assert!(m("^[a-c]+$", "abcabc"));
        assert!(!m("^[^a-c]+$", "abd"));
        assert!(m(r"^\d{3}-\d{2,}$", "123-4567"));
        assert!(!m(r"^\d{3}$", "1234"));
        assert!(m("^(foo|bar)baz$", "barbaz"));
        assert!(m(r"^\w+\s\w+$", "hello world"));
        assert!(m(r"\bword\b", "a word here"));
        assert!(!m(r"\bword\b", "swordfish"));
        assert!(m("^a{2}$", "aa"));
        assert!(m("^x{,2}$", "x{,2}"), "an invalid brace is a literal");
        assert!(m(r"^1\.5$", "1.5"));
        assert!(!m(r"^1\.5$", "105"));
        assert!(Regex::new("ABC", "i").unwrap().is_match("xabcx"));
    }

    #[test]
    fn backtracking_and_laziness() {
        assert!(m("^(a|ab)(c|bcd)(d*)$", "abcd"));
        assert!(m("^.*x$", "aaax"));
        let lazy = Regex::new("<.+?>", "").unwrap();
        assert_eq!(lazy.replace("<a><b>", "[]"), "[]<b>");
        let greedy = Regex::new("<.+>", "").unwrap();
        assert_eq!(greedy.replace("<a><b>", "[]"), "[]");
    }

    #[test]
    fn replace_with_groups() {
        let r = Regex::new(r"(\w+)@(\w+)", "").unwrap();
        assert_eq!(
            r.replace("joe@host and ann@box", "$2:$1"),
            "host:joe and ann@box"
        );
        let g = Regex::new(r"(\w+)@(\w+)", "g").unwrap();
        assert_eq!(
            g.replace("joe@host and ann@box", "$2:$1"),
            "host:joe and box:ann"
        );
        assert_eq!(g.replace("x", "$1"), "x");
        let e = Regex::new("a*", "g").unwrap();
        // What JavaScript gives: an empty match may follow a non-empty one.
        assert_eq!(e.replace("bab", "-"), "-b--b-");
    }

    #[test]
    fn grafana_forms() {
        let anchored = Regex::from_grafana("server-[0-9]+").unwrap();
        assert!(anchored.is_match("server-12"));
        assert!(!anchored.is_match("my-server-12"));
        let slashed = Regex::from_grafana("/SERVER/i").unwrap();
        assert!(slashed.is_match("my-server-12"));
        assert_eq!(
            Regex::from_grafana("/(.*)-(\\d+)/")
                .unwrap()
                .replace("host-42", "$1 #$2"),
            "host #42"
        );
    }

    #[test]
    fn override_matcher() {
        assert!(grafana_pattern_matches("/.*errors.*/", "5xx errors total"));
        assert!(grafana_pattern_matches("p(50|95|99)", "p95"));
        assert!(!grafana_pattern_matches("p(50|95|99)", "p95 latency"));
        assert!(!grafana_pattern_matches("", "anything"));
        assert!(!grafana_pattern_matches("(?<=x)", "x"));
    }

    #[test]
    fn rejects_unsupported_syntax() {
        assert!(Regex::new("(?=x)", "").is_err());
        assert!(Regex::new(r"(a)\1", "").is_err());
        assert!(Regex::new("(ab", "").is_err());
        assert!(Regex::new("ab)", "").is_err());
        assert!(Regex::new("*a", "").is_err());
        assert!(Regex::from_grafana("/abc").is_err());
    }

    #[test]
    fn long_texts_do_not_overflow_the_stack() {
        let r = Regex::new("^.*x$", "").unwrap();
        assert!(r.is_match(&format!("{}x", "a".repeat(300))));
        assert!(r.is_match(&format!("{}x", "a".repeat(100_000))));
    }

    #[test]
    fn pathological_patterns_stop() {
        let r = Regex::new("^(a+)+$", "").unwrap();
        let text = format!("{}b", "a".repeat(40));
        assert!(!r.is_match(&text));
    }
}
