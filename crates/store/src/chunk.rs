//! Compressed chunks of up to `CHUNK_SAMPLES` samples: the encoder (also used, streaming, for
//! a series' open head chunk), the decoder and the chunk byte format.
//!
//! Contract: decoding returns exactly the `(t, v)` pairs encoded, bit for bit (every NaN
//! payload, `-0.0`, ±Inf, any i64 timestamps including wrapping deltas). Decoding untrusted
//! bytes never panics: truncated or inconsistent input gives a [`ChunkError`].
//!
//! Byte format (version 1), all multi-byte integers big-endian, bits written MSB first:
//! - byte 0: value encoding — `1` Gorilla XOR, `2` scaled-integer delta-of-delta, `3`
//!   scaled-integer delta — plus flags: `0x10` regular timestamps, `0x20` marks (XOR only);
//! - bytes 1–2: sample count `n` (u16, at least 1);
//! - encodings 2 and 3 only: byte 3, the decimal scale `k` (0–9): every value is an integer
//!   `i` with `|i| <= 2^53` such that `i as f64 / 10^k` gives the value bit for bit (integers
//!   have `k = 0`, CPU seconds in 10 ms ticks `k = 2`; `-0.0`, NaN and ±Inf never qualify);
//! - with marks: a byte, their number `m`, then `m` marks of [`MARK_BYTES`] each (below);
//! - then one bit stream, sample after sample (the last byte is zero-padded):
//!   - timestamps, regular (flag `0x10`, every interval the same and positive): sample 0 as
//!     64 raw bits then the interval as a class code (timestamp widths below), before sample
//!     0's value; no timestamp bits after that (`t_i = t_0 + i × Δt`);
//!   - timestamps, else: sample 0 as 64 raw bits; after that the delta-of-delta (`Δt − previous Δt`,
//!     the previous Δt of sample 1 being 0, wrapping i64 arithmetic) as a *class code*:
//!     `k` one-bits then a zero-bit select class `k` (the last class has no zero-bit), followed
//!     by the value as a two's-complement field of that class's width. Timestamp widths:
//!     0 (the value 0), 4, 7, 14, 20, 64 bits (4 covers browser timer jitter).
//!   - values, encoding 1 (Gorilla, as Prometheus's XOR chunks): sample 0 as 64 raw bits; then
//!     `x = bits ^ previous bits`: `0` if `x == 0`; `10` + the meaningful bits when they fit
//!     the previous leading/trailing-zero window; else `11` + leading zeros (5 bits, capped at
//!     31) + meaningful-bit count (6 bits, 64 written as 0) + the meaningful bits.
//!   - values, encodings 2 and 3: sample 0's integer, then the delta-of-delta (2) or the
//!     delta (3) of the integers, each as a class code with widths 0, 6, 13, 20, 32, 64 bits.
//!
//! A mark is the decoder's state after sample `i`, so a window starting late in a chunk is
//! decoded from there instead of from sample 0: `i` (u16), the bit position in the stream after
//! sample `i` (u16), `t_i − t_0` (u32), `t_i − t_{i−1}` (i32, 0 for `i = 0`), the value bits
//! (u64), the XOR window's meaningful-bit count (255 before the first window) and trailing
//! zeros (u8 each). Marks are in increasing `i`; [`decode_all`] checks each against the stream
//! (so imported chunks are checked), a window decode trusts them (the store only holds chunks
//! it encoded or checked). Sealing writes regular timestamps when they are (saving a bit per
//! sample), and gives XOR chunks one mark per [`MARK_SPACING_BYTES`] of stream (at most
//! [`MAX_MARKS`], evenly spaced by sample; under 7% of their bytes): a window decode then
//! starts at the last mark before it instead of decoding on average half a chunk before it.
//!
//! The open head chunk is streamed as encoding 2 at the smallest decimal scale its values
//! need so far; a value needing a larger scale re-encodes it at that scale, and one no scale
//! holds re-encodes it as encoding 1 for the rest of the chunk. Sealing re-encodes it with
//! whichever encoding is smallest for its samples (scaled integers win on counters, integer gauges and
//! decimal values such as CPU seconds; XOR stays for arbitrary floats).

use crate::STALE_NAN_BITS;

/// Samples per sealed chunk (Prometheus cuts XOR chunks at 120 too).
pub(crate) const CHUNK_SAMPLES: usize = 120;

/// Bytes before the bit stream: encoding and count.
const HEADER_BYTES: usize = 3;

const TIME_WIDTHS: [u32; 6] = [0, 4, 7, 14, 20, 64];
const INT_WIDTHS: [u32; 6] = [0, 6, 13, 20, 32, 64];

/// Largest integer magnitude stored exactly by the integer encodings.
const MAX_EXACT_INT: f64 = 9_007_199_254_740_992.0;

/// Byte 0's flags over the value encoding (its low four bits): regular timestamps, marks.
const REGULAR: u8 = 0x10;
const MARKED: u8 = 0x20;
const CODING_MASK: u8 = 0x0f;
/// Bytes per mark (see the module docs).
const MARK_BYTES: usize = 22;
/// Sealed XOR chunks get one mark per this many stream bytes...
const MARK_SPACING_BYTES: usize = 320;
/// ...and at most this many.
const MAX_MARKS: usize = 3;
/// `win_bits` byte of a mark taken before the first XOR window.
const MARK_NO_WINDOW: u8 = 255;

/// Value encodings (byte 0 of a chunk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueCoding {
    Xor = 1,
    IntDod = 2,
    IntDelta = 3,
}

impl ValueCoding {
    fn from_byte(b: u8) -> Result<Self, ChunkError> {
        match b {
            1 => Ok(Self::Xor),
            2 => Ok(Self::IntDod),
            3 => Ok(Self::IntDelta),
            other => Err(ChunkError(format!("unknown value encoding {other}"))),
        }
    }
}

/// Why chunk bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkError(pub String);

impl std::fmt::Display for ChunkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "corrupt chunk: {}", self.0)
    }
}

impl std::error::Error for ChunkError {}

/// Appends bits MSB first to a byte vector.
#[derive(Debug, Clone, Default)]
struct BitWriter {
    bytes: Vec<u8>,
    /// Unused low bits of the last byte.
    free: u32,
}

impl BitWriter {
    /// Writes the low `n` bits of `v` (`n <= 64`).
    fn write(&mut self, v: u64, n: u32) {
        let mut left = n;
        while left > 0 {
            if self.free == 0 {
                if self.bytes.len() == self.bytes.capacity() {
                    // Grow by a quarter, not double: heads are many and small.
                    self.bytes.reserve_exact(16 + self.bytes.len() / 4);
                }
                self.bytes.push(0);
                self.free = 8;
            }
            let take = self.free.min(left);
            let part = (v >> (left - take)) & ((1u64 << take) - 1);
            if let Some(last) = self.bytes.last_mut() {
                *last |= (part as u8) << (self.free - take);
            }
            self.free -= take;
            left -= take;
        }
    }

    fn write_bit(&mut self, bit: bool) {
        self.write(u64::from(bit), 1);
    }

    /// Class code for a signed value with the given class widths; see the module docs.
    fn write_classed(&mut self, v: i64, widths: &[u32]) {
        let last = widths.len().saturating_sub(1);
        for (k, &w) in widths.iter().enumerate() {
            if k == last || fits(v, w) {
                self.write((1u64 << k) - 1, k as u32);
                if k != last {
                    self.write_bit(false);
                }
                self.write(v as u64, w);
                return;
            }
        }
    }
}

/// True when `v` fits a two's-complement field of `w` bits (w = 0: only 0).
fn fits(v: i64, w: u32) -> bool {
    match w {
        0 => v == 0,
        64.. => true,
        _ => {
            let half = 1i64 << (w - 1);
            (-half..half).contains(&v)
        }
    }
}

/// A bit source read MSB first by bit position: every read peeks the 64-bit big-endian word
/// at the position's byte (zeros past the end) and shifts, so a field costs a load and two
/// shifts with no buffer bookkeeping. Reads past the end yield zero bits and are not errors by
/// themselves: the decoder checks [`Bits::overrun`] once per sample, which gives the same
/// verdict as checking every read (a sample is valid iff all its bits exist).
pub(crate) trait Bits {
    /// The next bits, left-aligned: at least `PEEK_BITS` of them are the stream's (or zeros
    /// past its end).
    fn peek(&self) -> u64;

    fn skip(&mut self, n: u32);

    /// Whether reads went past the end of the input.
    fn overrun(&self) -> bool;

    /// Bits of the input after the position (0 past its end).
    fn left(&self) -> usize;

    /// Reads `n <= PEEK_BITS` bits.
    #[inline(always)]
    fn read_short(&mut self, n: u32) -> u64 {
        // Two shifts so that n = 0 yields 0 without a branch (`>> 64` would overflow).
        let v = (self.peek() >> 1) >> (63 - n);
        self.skip(n);
        v
    }

    /// Reads `n <= 64` bits.
    #[inline(always)]
    fn read(&mut self, n: u32) -> u64 {
        if n <= PEEK_BITS {
            return self.read_short(n);
        }
        let hi = self.read_short(32);
        let lo = self.read_short(n - 32);
        (hi << (n - 32)) | lo
    }

    /// A class code and its field (see the module docs), from one peek when they fit it.
    #[inline(always)]
    fn read_classed(&mut self, widths: &[u32; 6]) -> i64 {
        let word = self.peek();
        self.classed_in(word, 0, widths)
    }

    /// `read_classed` given `word`, this position's `peek`, of which the first `used` bits
    /// (at most 8) are consumed but not yet skipped: one load serves two fields.
    #[inline(always)]
    fn classed_in(&mut self, word: u64, used: u32, widths: &[u32; 6]) -> i64 {
        let word = word << used;
        // The common case of both tables: class 0, width 0 (delta-of-delta 0).
        if word >> 63 == 0 {
            self.skip(used + 1);
            return 0;
        }
        let last = widths.len() as u32 - 1;
        let ones = word.leading_ones().min(last);
        let code_len = if ones < last { ones + 1 } else { ones };
        let w = widths.get(ones as usize).copied().unwrap_or(64);
        if used + code_len + w <= PEEK_BITS {
            self.skip(used + code_len + w);
            return sign_extend(((word << code_len) >> 1) >> (63 - w), w);
        }
        self.skip(used + code_len);
        sign_extend(self.read(w), w)
    }
}

/// Bits every [`Bits::peek`] holds (64 minus the up to 7 bits shifted out).
const PEEK_BITS: u32 = 57;

/// [`Bits`] of a byte slice: each peek checks the slice's bounds.
#[derive(Clone)]
struct SliceBits<'b> {
    bytes: &'b [u8],
    /// Bit position of the next read.
    pos: usize,
    /// Bits in `bytes`.
    len: usize,
}

impl<'b> SliceBits<'b> {
    fn new(bytes: &'b [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            len: bytes.len() * 8,
        }
    }

    /// `peek`'s word for the last 7 bytes, zero-padded.
    #[cold]
    fn tail_word(&self, i: usize) -> u64 {
        let mut w = [0u8; 8];
        let rest = self.bytes.get(i..).unwrap_or(&[]);
        for (d, s) in w.iter_mut().zip(rest) {
            *d = *s;
        }
        u64::from_be_bytes(w)
    }
}

impl Bits for SliceBits<'_> {
    #[inline(always)]
    fn peek(&self) -> u64 {
        let i = self.pos >> 3;
        let word = match self.bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
            Some(w) => u64::from_be_bytes(*w),
            None => self.tail_word(i),
        };
        word << (self.pos & 7)
    }

    #[inline(always)]
    fn skip(&mut self, n: u32) {
        self.pos += n as usize;
    }

    #[inline(always)]
    fn overrun(&self) -> bool {
        self.pos > self.len
    }

    #[inline(always)]
    fn left(&self) -> usize {
        self.len.saturating_sub(self.pos)
    }
}

/// Chunk bodies up to this many bytes are decoded from a [`PadBuf`] copy.
const PADDED_BODY_MAX: usize = 2016;
/// The copy's window: positions are masked to it, so a peek needs no bounds check.
const PAD_WINDOW: usize = 2048;

/// Scratch space for [`decode_window`]: a chunk body copied with at least 32 zero bytes after
/// it. A sample starting inside the body reads at most 146 bits, so every peek of a checked
/// decode stays in the body or its zeros (the mask never wraps): the same bits as
/// [`SliceBits`] without its per-peek bounds checks. An unchecked decode may read on past
/// them (any bytes of the buffer, never out of it); its result is then discarded.
pub(crate) struct PadBuf([u8; PAD_WINDOW + 8]);

impl PadBuf {
    pub(crate) fn new() -> Self {
        Self([0; PAD_WINDOW + 8])
    }
}

/// [`Bits`] of a [`PadBuf`].
#[derive(Clone)]
struct PaddedBits<'b> {
    buf: &'b [u8; PAD_WINDOW + 8],
    pos: usize,
    len: usize,
}

impl Bits for PaddedBits<'_> {
    #[inline(always)]
    fn peek(&self) -> u64 {
        let i = (self.pos >> 3) & (PAD_WINDOW - 1);
        let word = self
            .buf
            .get(i..)
            .and_then(|rest| rest.first_chunk::<8>())
            .map_or(0, |w| u64::from_be_bytes(*w));
        word << (self.pos & 7)
    }

    #[inline(always)]
    fn skip(&mut self, n: u32) {
        self.pos += n as usize;
    }

    #[inline(always)]
    fn overrun(&self) -> bool {
        self.pos > self.len
    }

    #[inline(always)]
    fn left(&self) -> usize {
        self.len.saturating_sub(self.pos)
    }
}

fn int_to_f64(v: u64) -> f64 {
    v as i64 as f64
}

fn sign_extend(v: u64, w: u32) -> i64 {
    match w {
        0 => 0,
        64.. => v as i64,
        _ => ((v << (64 - w)) as i64) >> (64 - w),
    }
}

/// Streaming encoder state shared by timestamps and the value encodings.
#[derive(Debug, Clone)]
pub(crate) struct Encoder {
    w: BitWriter,
    coding: ValueCoding,
    count: u16,
    first_t: i64,
    prev_t: i64,
    prev_dt: i64,
    /// Previous value's bits (XOR) or integer value (integer encodings).
    prev_v: u64,
    prev_dv: i64,
    /// XOR window of the previous non-zero XOR (leading, trailing); `None` before the first.
    window: Option<(u32, u32)>,
    /// The interval of a chunk written with regular timestamps (every sample's).
    regular_dt: Option<i64>,
}

impl Default for Encoder {
    /// An empty head: integer delta-of-delta until a value is not an exact integer.
    fn default() -> Self {
        Self::new(ValueCoding::IntDod, 0)
    }
}

impl Encoder {
    /// An empty encoder; integer encodings store `value × 10^scale` (a byte after the header).
    fn new(coding: ValueCoding, scale: u8) -> Self {
        let mut w = BitWriter::default();
        w.bytes.extend_from_slice(&[coding as u8, 0, 0]);
        if coding != ValueCoding::Xor {
            w.bytes.push(scale);
        }
        Self {
            w,
            coding,
            count: 0,
            first_t: 0,
            prev_t: 0,
            prev_dt: 0,
            prev_v: 0,
            prev_dv: 0,
            window: None,
            regular_dt: None,
        }
    }

    /// Bytes before the bit stream (the header and the integer encodings' scale).
    fn head_len(&self) -> usize {
        HEADER_BYTES + usize::from(self.coding != ValueCoding::Xor)
    }

    pub(crate) fn len(&self) -> usize {
        usize::from(self.count)
    }

    /// Time of the first sample (meaningful when `len() > 0`).
    pub(crate) fn first_t(&self) -> i64 {
        self.first_t
    }

    /// Allocated bytes.
    pub(crate) fn capacity_bytes(&self) -> usize {
        self.w.bytes.capacity()
    }

    /// The chunk bytes so far (header included).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.w.bytes
    }

    /// Appends one sample to the head (encoding 2 at scale 0 while every value is an exact
    /// integer, else 1); the caller guarantees increasing timestamps and `len() < u16::MAX`.
    pub(crate) fn push(&mut self, t: i64, v: f64) {
        if self.coding == ValueCoding::Xor {
            return self.push_raw(t, v.to_bits());
        }
        match scaled_integer(v, self.divisor()) {
            Some(i) => self.push_raw(t, i as u64),
            None => self.reencode_with(t, v),
        }
    }

    fn divisor(&self) -> f64 {
        let scale = self.w.bytes.get(HEADER_BYTES).copied().unwrap_or(0);
        POW10.get(usize::from(scale)).copied().unwrap_or(1.0)
    }

    /// Re-encodes the samples so far plus `(t, v)` at the smallest decimal scale that holds
    /// them all, or as XOR when none does (at most once per scale step, then once for XOR).
    fn reencode_with(&mut self, t: i64, v: f64) {
        let mut samples = decode_all(self.bytes()).unwrap_or_default();
        samples.push((t, v));
        let (coding, scale) = match decimal_scale(&samples) {
            Some(k) => (ValueCoding::IntDod, k),
            None => (ValueCoding::Xor, 0),
        };
        let mut e = Encoder::new(coding, scale);
        let divisor = e.divisor();
        for (t, v) in samples {
            let raw = match coding {
                ValueCoding::Xor => v.to_bits(),
                _ => scaled_integer(v, divisor).unwrap_or_default() as u64,
            };
            e.push_raw(t, raw);
        }
        *self = e;
    }

    /// Appends one sample given as its raw value: f64 bits (XOR) or the scaled integer.
    fn push_raw(&mut self, t: i64, raw: u64) {
        if self.count == 0 {
            self.first_t = t;
            self.w.write(t as u64, 64);
            if let Some(dt) = self.regular_dt {
                self.w.write_classed(dt, &TIME_WIDTHS);
                self.prev_dt = dt;
            }
            if self.coding == ValueCoding::Xor {
                self.w.write(raw, 64);
            } else {
                self.w.write_classed(raw as i64, &INT_WIDTHS);
            }
            self.prev_v = raw;
        } else {
            let dt = t.wrapping_sub(self.prev_t);
            if self.regular_dt.is_none() {
                self.w
                    .write_classed(dt.wrapping_sub(self.prev_dt), &TIME_WIDTHS);
            }
            self.prev_dt = dt;
            self.push_value(raw);
        }
        self.prev_t = t;
        self.count = self.count.saturating_add(1);
        let [hi, lo] = self.count.to_be_bytes();
        if let Some(h) = self.w.bytes.get_mut(1..HEADER_BYTES) {
            h.copy_from_slice(&[hi, lo]);
        }
    }

    fn push_value(&mut self, raw: u64) {
        match self.coding {
            ValueCoding::Xor => self.push_xor(raw),
            ValueCoding::IntDod | ValueCoding::IntDelta => {
                let iv = raw as i64;
                let dv = iv.wrapping_sub(self.prev_v as i64);
                let coded = if self.coding == ValueCoding::IntDod {
                    dv.wrapping_sub(self.prev_dv)
                } else {
                    dv
                };
                self.w.write_classed(coded, &INT_WIDTHS);
                self.prev_dv = dv;
                self.prev_v = iv as u64;
            }
        }
    }

    fn push_xor(&mut self, bits: u64) {
        let x = bits ^ self.prev_v;
        self.prev_v = bits;
        if x == 0 {
            self.w.write_bit(false);
            return;
        }
        self.w.write_bit(true);
        let leading = x.leading_zeros().min(31);
        let trailing = x.trailing_zeros();
        match self.window {
            Some((l, t)) if leading >= l && trailing >= t => {
                self.w.write_bit(false);
                self.w.write(x >> t, 64 - l - t);
            }
            _ => {
                let sig = 64 - leading - trailing;
                self.w.write_bit(true);
                self.w.write(u64::from(leading), 5);
                self.w.write(u64::from(sig & 63), 6);
                self.w.write(x >> trailing, sig);
                self.window = Some((leading, trailing));
            }
        }
    }

    /// The decoder's state after the sample just pushed (XOR only), as a mark; `None` when
    /// it does not fit a mark's fields.
    fn mark(&self) -> Option<[u8; MARK_BYTES]> {
        let index = self.count.checked_sub(1)?;
        let stream_bits = (self.w.bytes.len().checked_sub(self.head_len())?) * 8;
        let pos = u16::try_from(stream_bits.checked_sub(self.w.free as usize)?).ok()?;
        let t_off = u32::try_from(self.prev_t.checked_sub(self.first_t)?).ok()?;
        let dt = i32::try_from(self.prev_dt).ok()?;
        let (win_bits, win_trailing) = match self.window {
            Some((l, t)) => ((64 - l - t) as u8, t as u8),
            None => (MARK_NO_WINDOW, 0),
        };
        let mut m = [0u8; MARK_BYTES];
        let fields = [
            &index.to_be_bytes()[..],
            &pos.to_be_bytes(),
            &t_off.to_be_bytes(),
            &dt.to_be_bytes(),
            &self.prev_v.to_be_bytes(),
            &[win_bits, win_trailing],
        ];
        let mut at = 0;
        for f in fields {
            m.get_mut(at..at + f.len())?.copy_from_slice(f);
            at += f.len();
        }
        Some(m)
    }

    /// Finishes the chunk: its bytes, trimmed to size.
    fn finish(self) -> Box<[u8]> {
        self.w.bytes.into_boxed_slice()
    }
}

/// Encodes `samples` (non-empty, increasing timestamps, at most `u16::MAX`) with the smallest
/// value encoding that represents them exactly; regular timestamps when they are, marks on
/// long XOR chunks.
pub(crate) fn encode_best(samples: &[(i64, f64)]) -> Box<[u8]> {
    let xor = encode_raw(ValueCoding::Xor, 0, samples, f64::to_bits);
    let mut best = (ValueCoding::Xor, 0, xor.len());
    if let Some(scale) = decimal_scale(samples) {
        let p = POW10.get(usize::from(scale)).copied().unwrap_or(1.0);
        for coding in [ValueCoding::IntDod, ValueCoding::IntDelta] {
            let raw = |v| scaled_integer(v, p).unwrap_or_default() as u64;
            let len = encode_raw(coding, scale, samples, raw).len();
            if len < best.2 {
                best = (coding, scale, len);
            }
        }
    }
    // Regular timestamps and marks do not take part in the choice: they save or cost the
    // same for every value encoding.
    let (coding, scale, len) = best;
    let marks = if coding == ValueCoding::Xor {
        (len.saturating_sub(HEADER_BYTES) / MARK_SPACING_BYTES).min(MAX_MARKS)
    } else {
        0
    };
    let regular = regular_interval(samples);
    if coding == ValueCoding::Xor && marks == 0 && regular.is_none() {
        return xor;
    }
    encode(coding, scale, samples, regular, marks)
}

/// The interval between all of `samples` when there are at least two and it is one positive
/// value.
fn regular_interval(samples: &[(i64, f64)]) -> Option<i64> {
    let (&(t0, _), &(t1, _)) = (samples.first()?, samples.get(1)?);
    let dt = t1.checked_sub(t0).filter(|&dt| dt > 0)?;
    samples
        .windows(2)
        .all(|w| matches!(w, [(a, _), (b, _)] if b.checked_sub(*a) == Some(dt)))
        .then_some(dt)
}

/// `samples` in `coding` at `scale`, with timestamps `regular` (their interval) or not, and
/// up to `marks` marks (XOR only) at the samples splitting the chunk into equal runs.
fn encode(
    coding: ValueCoding,
    scale: u8,
    samples: &[(i64, f64)],
    regular: Option<i64>,
    marks: usize,
) -> Box<[u8]> {
    let p = POW10.get(usize::from(scale)).copied().unwrap_or(1.0);
    let mut e = Encoder::new(coding, scale);
    e.regular_dt = regular;
    let at = |j: usize| samples.len() * j / (marks + 1);
    let mut mark_bytes = Vec::new();
    let mut next = 1;
    for (i, &(t, v)) in samples.iter().enumerate() {
        let raw = match coding {
            ValueCoding::Xor => v.to_bits(),
            _ => scaled_integer(v, p).unwrap_or_default() as u64,
        };
        e.push_raw(t, raw);
        if next <= marks && i == at(next) {
            next += 1;
            match e.mark() {
                Some(m) if i > 0 && coding == ValueCoding::Xor => mark_bytes.extend_from_slice(&m),
                _ => {}
            }
        }
    }
    let head = e.head_len();
    let n = mark_bytes.len() / MARK_BYTES;
    let mut flags = 0;
    if regular.is_some() {
        flags |= REGULAR;
    }
    if n > 0 {
        flags |= MARKED;
    }
    let bytes = e.finish();
    let mut out = Vec::with_capacity(bytes.len() + 1 + mark_bytes.len());
    out.push(coding as u8 | flags);
    out.extend_from_slice(bytes.get(1..head).unwrap_or(&[]));
    if n > 0 {
        out.push(n as u8);
        out.extend_from_slice(&mark_bytes);
    }
    out.extend_from_slice(bytes.get(head..).unwrap_or(&[]));
    out.into_boxed_slice()
}

fn encode_raw(
    coding: ValueCoding,
    scale: u8,
    samples: &[(i64, f64)],
    raw: impl Fn(f64) -> u64,
) -> Box<[u8]> {
    let mut e = Encoder::new(coding, scale);
    for &(t, v) in samples {
        e.push_raw(t, raw(v));
    }
    e.finish()
}

/// The integer `i` with `|i| <= 2^53` such that `i as f64 / divisor` is `v` bit for bit, if
/// any (never for `-0.0`, NaN or ±Inf).
fn scaled_integer(v: f64, divisor: f64) -> Option<i64> {
    let i = (v * divisor).round();
    if i.is_nan() || i.abs() > MAX_EXACT_INT {
        return None;
    }
    let i = i as i64;
    ((int_to_f64(i as u64) / divisor).to_bits() == v.to_bits()).then_some(i)
}

/// Powers of ten for the decimal scales (all exact in f64).
const POW10: [f64; 10] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// The smallest decimal scale `k` such that every value is exactly `i / 10^k` for an integer
/// `|i| <= 2^53` (bit for bit: `-0.0`, NaN and infinities never qualify).
fn decimal_scale(samples: &[(i64, f64)]) -> Option<u8> {
    POW10
        .iter()
        .position(|&p| samples.iter().all(|&(_, v)| scaled_integer(v, p).is_some()))
        .map(|k| k as u8)
}

/// Sample count from the header of chunk bytes the store wrote (0 when unreadable).
pub(crate) fn sample_count(bytes: &[u8]) -> usize {
    match bytes.get(1..HEADER_BYTES) {
        Some(&[hi, lo]) => usize::from(u16::from_be_bytes([hi, lo])),
        _ => 0,
    }
}

/// First timestamp of chunk bytes the store wrote: the 64 raw bits right after the header.
pub(crate) fn first_timestamp(bytes: &[u8]) -> Option<i64> {
    let raw = header(bytes).ok()?.body.first_chunk::<8>()?;
    Some(i64::from_be_bytes(*raw))
}

/// `ValueCoding` discriminants as const parameters of the decoder's loops.
/// (With `REGULAR` added for chunks with regular timestamps.)
const XOR: u8 = ValueCoding::Xor as u8;
const INT_DOD: u8 = ValueCoding::IntDod as u8;
const INT_DELTA: u8 = ValueCoding::IntDelta as u8;
const XOR_R: u8 = XOR | REGULAR;
const INT_DOD_R: u8 = INT_DOD | REGULAR;
const INT_DELTA_R: u8 = INT_DELTA | REGULAR;

/// Iterates the samples of chunk bytes.
#[derive(Clone)]
pub(crate) struct Decoder<R> {
    r: R,
    coding: ValueCoding,
    /// Regular timestamps (`t` advances by `dt`, no timestamp bits).
    regular: bool,
    remaining: u16,
    started: bool,
    t: i64,
    dt: i64,
    v: u64,
    dv: i64,
    /// Meaningful bits of the XOR window (`NO_WINDOW` before the first) and its trailing
    /// zeros: kept as the two shifts a reused window needs, so no per-sample arithmetic.
    win_bits: u32,
    win_trailing: u32,
    /// `10^scale` of the integer encodings.
    divisor: f64,
}

/// `win_bits` before any XOR window is set: wider than any peek, so the one-peek path of
/// a reused window never takes it and the slow path reports the error.
const NO_WINDOW: u32 = u32::MAX / 2;

/// A chunk's header fields.
struct Header<'b> {
    coding: ValueCoding,
    regular: bool,
    /// Sample count, at least 1.
    count: u16,
    divisor: f64,
    /// The marks, `MARK_BYTES` each (empty without).
    marks: &'b [u8],
    /// The bit stream.
    body: &'b [u8],
}

/// A decoder state read from a mark (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    index: u16,
    pos: usize,
    t: i64,
    dt: i64,
    v: u64,
    win_bits: u32,
    win_trailing: u32,
}

impl Header<'_> {
    /// The marks in order (`t` from the body's first timestamp).
    fn marks(&self) -> impl Iterator<Item = Mark> + '_ {
        let t0 = self
            .body
            .first_chunk::<8>()
            .map_or(0, |b| i64::from_be_bytes(*b));
        self.marks.chunks_exact(MARK_BYTES).map(move |m| {
            let u = |r: std::ops::Range<usize>| {
                m.get(r)
                    .unwrap_or(&[])
                    .iter()
                    .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
            };
            let win = u(20..21) as u8;
            Mark {
                index: u(0..2) as u16,
                pos: u(2..4) as usize,
                t: t0.wrapping_add(u(4..8) as i64),
                dt: i64::from(u(8..12) as u32 as i32),
                v: u(12..20),
                win_bits: if win == MARK_NO_WINDOW {
                    NO_WINDOW
                } else {
                    u32::from(win)
                },
                win_trailing: u(21..22) as u32,
            }
        })
    }

    /// The last mark at or before `mint` (every sample before it is then before `mint`).
    fn mark_before(&self, mint: i64) -> Option<Mark> {
        self.marks().take_while(|m| m.t <= mint).last()
    }
}

/// Parses a chunk's header; see the module docs for the format.
fn header(bytes: &[u8]) -> Result<Header<'_>, ChunkError> {
    let (Some(&byte0), Some(&hi), Some(&lo)) = (bytes.first(), bytes.get(1), bytes.get(2)) else {
        return Err(ChunkError("shorter than its 3-byte header".into()));
    };
    let count = u16::from_be_bytes([hi, lo]);
    if count == 0 {
        return Err(ChunkError("no samples".into()));
    }
    if byte0 & !(CODING_MASK | REGULAR | MARKED) != 0 {
        return Err(ChunkError(format!("unknown value encoding {byte0}")));
    }
    let coding = ValueCoding::from_byte(byte0 & CODING_MASK)?;
    let mut at = HEADER_BYTES;
    let divisor = if coding == ValueCoding::Xor {
        1.0
    } else {
        let scale = bytes.get(at).copied().unwrap_or(u8::MAX);
        at += 1;
        *POW10
            .get(usize::from(scale))
            .ok_or_else(|| ChunkError(format!("bad decimal scale {scale}")))?
    };
    let mut marks: &[u8] = &[];
    if byte0 & MARKED != 0 {
        if coding != ValueCoding::Xor {
            return Err(ChunkError("marks on an integer chunk".into()));
        }
        let m = usize::from(bytes.get(at).copied().unwrap_or(0));
        marks = bytes
            .get(at + 1..at + 1 + m * MARK_BYTES)
            .ok_or_else(|| ChunkError("shorter than its marks".into()))?;
        at += 1 + m * MARK_BYTES;
    }
    Ok(Header {
        coding,
        regular: byte0 & REGULAR != 0,
        count,
        divisor,
        marks,
        body: bytes.get(at..).unwrap_or(&[]),
    })
}

impl<'b> Decoder<SliceBits<'b>> {
    /// Reads the header of `bytes`; see the module docs for the format.
    #[cfg(test)]
    fn new(bytes: &'b [u8]) -> Result<Self, ChunkError> {
        let h = header(bytes)?;
        Ok(Decoder::with(SliceBits::new(h.body), &h))
    }

    /// Whether the state after the sample just decoded is `m`'s.
    fn is_at(&self, m: &Mark) -> bool {
        (self.r.pos, self.t, self.dt, self.v) == (m.pos, m.t, m.dt, m.v)
            && (self.win_bits == m.win_bits)
            && (self.win_bits == NO_WINDOW || self.win_trailing == m.win_trailing)
    }
}

impl<R: Bits> Decoder<R> {
    fn with(r: R, h: &Header<'_>) -> Self {
        Self {
            r,
            coding: h.coding,
            regular: h.regular,
            remaining: h.count,
            started: false,
            t: 0,
            dt: 0,
            v: 0,
            dv: 0,
            win_bits: NO_WINDOW,
            win_trailing: 0,
            divisor: h.divisor,
        }
    }

    /// A decoder of `h`'s samples from `r`, continuing from `mark` when there is one: the
    /// current sample is then sample `mark.index`. The caller positions `r` at `mark.pos`.
    fn resumed(r: R, h: &Header<'_>, mark: Option<&Mark>) -> Self {
        let mut d = Self::with(r, h);
        if let Some(m) = mark {
            d.remaining = h.count.saturating_sub(m.index).saturating_sub(1);
            d.started = true;
            (d.t, d.dt, d.v) = (m.t, m.dt, m.v);
            (d.win_bits, d.win_trailing) = (m.win_bits, m.win_trailing);
        }
        d
    }

    /// Samples left to decode.
    pub(crate) fn remaining(&self) -> usize {
        usize::from(self.remaining)
    }

    /// The next sample, `Ok(None)` at the end.
    pub(crate) fn next_sample(&mut self) -> Result<Option<(i64, f64)>, ChunkError> {
        match (self.coding, self.regular) {
            (ValueCoding::Xor, false) => self.next_coded::<XOR>(),
            (ValueCoding::IntDod, false) => self.next_coded::<INT_DOD>(),
            (ValueCoding::IntDelta, false) => self.next_coded::<INT_DELTA>(),
            (ValueCoding::Xor, true) => self.next_coded::<XOR_R>(),
            (ValueCoding::IntDod, true) => self.next_coded::<INT_DOD_R>(),
            (ValueCoding::IntDelta, true) => self.next_coded::<INT_DELTA_R>(),
        }
    }

    /// Writes the samples with `mint <= t <= maxt` to `out` (leaving staleness markers out
    /// when `drop_stale`), stopping after `maxt` or when `out` is full.
    ///
    /// `CHECKED = false` tests for reads past the end once, after the loop, instead of after
    /// every sample: an error then means only that some sample was bad (the samples written
    /// may include ones after the fault), and the caller decodes again checked.
    fn window_into<const CHECKED: bool>(
        mut self,
        window: (i64, i64),
        drop_stale: bool,
        out: &mut Slots<'_>,
    ) -> Result<(), ChunkError> {
        // One loop per encoding (a const parameter, not a closure), so the per-sample value
        // step is inlined into the loop instead of dispatched per sample.
        let (w, d) = (window, drop_stale);
        match (self.coding, self.regular) {
            (ValueCoding::Xor, false) => self.window_loop::<XOR, CHECKED>(w, d, out),
            (ValueCoding::IntDod, false) => self.window_loop::<INT_DOD, CHECKED>(w, d, out),
            (ValueCoding::IntDelta, false) => self.window_loop::<INT_DELTA, CHECKED>(w, d, out),
            (ValueCoding::Xor, true) => self.window_loop::<XOR_R, CHECKED>(w, d, out),
            (ValueCoding::IntDod, true) => self.window_loop::<INT_DOD_R, CHECKED>(w, d, out),
            (ValueCoding::IntDelta, true) => self.window_loop::<INT_DELTA_R, CHECKED>(w, d, out),
        }?;
        // Positions only grow, so every sample decoded so far was whole iff the last one was.
        if !CHECKED && self.r.overrun() {
            return Err(ChunkError("bit stream ends early".into()));
        }
        Ok(())
    }

    #[inline(always)]
    fn window_loop<const C: u8, const CHECKED: bool>(
        &mut self,
        (mint, maxt): (i64, i64),
        drop_stale: bool,
        out: &mut Slots<'_>,
    ) -> Result<(), ChunkError> {
        // A decoder resumed from a mark holds its current sample already.
        if !self.started && !self.first::<C>()? {
            return Ok(());
        }
        // Samples before the window only advance the state: no value conversion, no test.
        while self.t < mint {
            if self.zero_run_before::<C, CHECKED>(mint)? {
                continue;
            }
            if !self.next::<C, CHECKED>()? {
                return Ok(());
            }
        }
        if C & REGULAR != 0 {
            return self.regular_run::<C, CHECKED>(maxt, drop_stale, out);
        }
        loop {
            if self.t > maxt {
                return Ok(());
            }
            if !self.emit::<C>(drop_stale, out) {
                return Ok(());
            }
            if !self.next::<C, CHECKED>()? {
                return Ok(());
            }
        }
    }

    /// The rest of `window_loop` for regular timestamps: how many samples are left up to
    /// `maxt` is known, so the loop tests neither time nor the samples remaining.
    #[inline(always)]
    fn regular_run<const C: u8, const CHECKED: bool>(
        &mut self,
        maxt: i64,
        drop_stale: bool,
        out: &mut Slots<'_>,
    ) -> Result<(), ChunkError> {
        if self.t > maxt {
            return Ok(());
        }
        // `maxt >= t`, so the wrapping difference is exact as u64; a zero interval (only
        // from a corrupt mark) counts as reaching every sample.
        let ahead = (maxt.wrapping_sub(self.t) as u64)
            .checked_div(self.dt as u64)
            .unwrap_or(u64::MAX);
        let mut more = ahead.min(u64::from(self.remaining)) as u16;
        self.remaining -= more;
        if !self.emit::<C>(drop_stale, out) {
            return Ok(());
        }
        while more > 0 {
            // Integer codes of 0 in a row (a constant rate or value): each sample is the
            // previous one advanced, with no decoding.
            let run = if C & CODING_MASK != XOR {
                let mut k = (self.r.peek().leading_zeros().min(PEEK_BITS)).min(u32::from(more));
                if CHECKED {
                    // Only whole samples: no zero bits past the end.
                    k = k.min(u32::try_from(self.r.left()).unwrap_or(u32::MAX));
                }
                k as u16
            } else {
                0
            };
            if run > 0 {
                self.r.skip(u32::from(run));
                more -= run;
                let dv = self.run_dv::<C>();
                for _ in 0..run {
                    self.t = self.t.wrapping_add(self.dt);
                    self.v = self.v.wrapping_add(dv);
                    if !self.emit::<C>(drop_stale, out) {
                        return Ok(());
                    }
                }
                continue;
            }
            self.step::<C, CHECKED>()?;
            more -= 1;
            if !self.emit::<C>(drop_stale, out) {
                return Ok(());
            }
        }
        Ok(())
    }

    /// What a value code of 0 adds to the value of an integer encoding: the delta of
    /// delta-of-delta coding, nothing for delta coding.
    #[inline(always)]
    fn run_dv<const C: u8>(&self) -> u64 {
        if C & CODING_MASK == INT_DOD {
            self.dv as u64
        } else {
            0
        }
    }

    /// Before the window (`t < mint`), regular integer chunks: jumps over the samples whose
    /// codes are 0, up to the one before `mint`, in one step; false when there are none.
    #[inline(always)]
    fn zero_run_before<const C: u8, const CHECKED: bool>(
        &mut self,
        mint: i64,
    ) -> Result<bool, ChunkError> {
        if C & REGULAR == 0 || C & CODING_MASK == XOR {
            return Ok(false);
        }
        // Samples until the first at or after `mint` (`t < mint`, so the difference is exact
        // as u64); none for a non-positive interval (only from a corrupt mark).
        let gap = mint.wrapping_sub(self.t) as u64;
        let Some(need) = (gap - 1)
            .checked_div(self.dt as u64)
            .filter(|_| self.dt > 0)
        else {
            return Ok(false);
        };
        let zeros = u64::from(self.r.peek().leading_zeros().min(PEEK_BITS));
        let k = zeros.min(need + 1).min(u64::from(self.remaining)) as u16;
        if k == 0 {
            return Ok(false);
        }
        self.r.skip(u32::from(k));
        self.remaining -= k;
        self.t = self.t.wrapping_add(self.dt.wrapping_mul(i64::from(k)));
        self.v = self
            .v
            .wrapping_add(self.run_dv::<C>().wrapping_mul(u64::from(k)));
        if CHECKED && self.r.overrun() {
            return Err(ChunkError("bit stream ends early".into()));
        }
        Ok(true)
    }

    /// Writes the current sample to `out` unless it is a staleness marker to drop; false when
    /// `out` is full.
    #[inline(always)]
    fn emit<const C: u8>(&self, drop_stale: bool, out: &mut Slots<'_>) -> bool {
        // Staleness markers are NaNs, which only the XOR encoding holds.
        if C & CODING_MASK != XOR || !(drop_stale && self.v == STALE_NAN_BITS) {
            let Some((t, v)) = out.free.next() else {
                return false;
            };
            (*t, *v) = (self.t, self.value::<C>());
            out.used += 1;
        }
        true
    }

    /// The next sample of a chunk whose value encoding is `C` (one of the `ValueCoding`
    /// discriminants, plus `REGULAR` for regular timestamps; the caller has checked it).
    #[inline(always)]
    fn next_coded<const C: u8>(&mut self) -> Result<Option<(i64, f64)>, ChunkError> {
        let more = if self.started {
            self.next::<C, true>()?
        } else {
            self.first::<C>()?
        };
        Ok(more.then(|| (self.t, self.value::<C>())))
    }

    /// The current sample's value.
    #[inline(always)]
    fn value<const C: u8>(&self) -> f64 {
        if C & CODING_MASK == XOR {
            f64::from_bits(self.v)
        } else {
            int_to_f64(self.v) / self.divisor
        }
    }

    /// Decodes the first sample into `t`/`v`; false when there is none.
    #[inline(always)]
    fn first<const C: u8>(&mut self) -> Result<bool, ChunkError> {
        if self.remaining == 0 {
            return Ok(false);
        }
        self.remaining -= 1;
        self.started = true;
        self.t = self.r.read(64) as i64;
        if C & REGULAR != 0 {
            // Checked once here, so the samples need no test that time increases.
            let dt = self.r.read_classed(&TIME_WIDTHS);
            let last = i64::from(self.remaining)
                .checked_mul(dt)
                .and_then(|span| self.t.checked_add(span));
            if dt <= 0 || last.is_none() {
                return Err(ChunkError("regular timestamps do not increase".into()));
            }
            self.dt = dt;
        }
        self.v = if C & CODING_MASK == XOR {
            self.r.read(64)
        } else {
            self.r.read_classed(&INT_WIDTHS) as u64
        };
        if self.r.overrun() {
            return Err(ChunkError("bit stream ends early".into()));
        }
        Ok(true)
    }

    /// Decodes the sample after the first into `t`/`v`; false at the end. Unless `CHECKED`,
    /// reads past the end are not detected (they read zeros or other bytes of the buffer).
    #[inline(always)]
    fn next<const C: u8, const CHECKED: bool>(&mut self) -> Result<bool, ChunkError> {
        if self.remaining == 0 {
            return Ok(false);
        }
        self.remaining -= 1;
        self.step::<C, CHECKED>()?;
        Ok(true)
    }

    /// `next` when a sample is known to remain (the caller counts them).
    #[inline(always)]
    fn step<const C: u8, const CHECKED: bool>(&mut self) -> Result<(), ChunkError> {
        let mut word = self.r.peek();
        let used = if C & REGULAR != 0 {
            // `first` checked that no sample's time overflows.
            self.t = self.t.wrapping_add(self.dt);
            0
        } else {
            // A delta-of-delta of 0 (regular scrapes) is one zero-bit: the value is then
            // decoded from the same peek.
            let used = if word >> 63 == 0 {
                1
            } else {
                let dod = self.r.read_classed(&TIME_WIDTHS);
                self.dt = self.dt.wrapping_add(dod);
                word = self.r.peek();
                0
            };
            let next_t = self.t.wrapping_add(self.dt);
            if next_t <= self.t {
                return Err(ChunkError("timestamps do not increase".into()));
            }
            self.t = next_t;
            used
        };
        match C & CODING_MASK {
            XOR => self.next_xor(word, used)?,
            INT_DOD => {
                let dod = self.r.classed_in(word, used, &INT_WIDTHS);
                self.dv = self.dv.wrapping_add(dod);
                self.v = (self.v as i64).wrapping_add(self.dv) as u64;
            }
            _ => {
                let dv = self.r.classed_in(word, used, &INT_WIDTHS);
                self.v = (self.v as i64).wrapping_add(dv) as u64;
            }
        }
        if CHECKED && self.r.overrun() {
            return Err(ChunkError("bit stream ends early".into()));
        }
        Ok(())
    }

    /// One XOR value, given `word`, the current position's `peek`, of which `used` bits are
    /// consumed but not skipped: a repeated value or one reusing the previous window takes
    /// no further load when it fits the word.
    #[inline(always)]
    fn next_xor(&mut self, word: u64, used: u32) -> Result<(), ChunkError> {
        let word = word << used;
        if word >> 63 == 0 {
            self.r.skip(used + 1);
            return Ok(());
        }
        let (n, trailing) = if (word >> 62) & 1 == 1 {
            let leading = ((word >> 57) & 31) as u32;
            let sig = match ((word >> 51) & 63) as u32 {
                0 => 64,
                s => s,
            };
            self.r.skip(used + 13);
            if leading + sig > 64 {
                return Err(ChunkError("XOR window wider than 64 bits".into()));
            }
            (self.win_bits, self.win_trailing) = (sig, 64 - leading - sig);
            (sig, 64 - leading - sig)
        } else {
            let (n, trailing) = (self.win_bits, self.win_trailing);
            if used + 2 + n <= PEEK_BITS {
                self.r.skip(used + 2 + n);
                self.v ^= (((word << 2) >> 1) >> (63 - n)) << trailing;
                return Ok(());
            }
            if n == NO_WINDOW {
                return Err(ChunkError("XOR window reused before it was set".into()));
            }
            self.r.skip(used + 2);
            (n, trailing)
        };
        let x = self.r.read(n);
        self.v ^= x << trailing;
        Ok(())
    }
}

/// Decodes every sample of chunk bytes (validating them).
pub(crate) fn decode_all(bytes: &[u8]) -> Result<Vec<(i64, f64)>, ChunkError> {
    let h = header(bytes)?;
    let mut d = Decoder::with(SliceBits::new(h.body), &h);
    let mut out = Vec::with_capacity(d.remaining());
    let mut marks = h.marks().peekable();
    while let Some(s) = d.next_sample()? {
        if let Some(m) = marks.next_if(|m| usize::from(m.index) == out.len()) {
            if !d.is_at(&m) {
                return Err(ChunkError(format!(
                    "mark {} disagrees with the stream",
                    m.index
                )));
            }
        }
        out.push(s);
    }
    if marks.next().is_some() {
        return Err(ChunkError("marks out of order or past the samples".into()));
    }
    Ok(out)
}

/// Free output slots of a window decode and how many were written.
struct Slots<'o> {
    free: std::iter::Zip<std::slice::IterMut<'o, i64>, std::slice::IterMut<'o, f64>>,
    used: usize,
}

/// Writes the samples of chunk `bytes` with `mint <= t <= maxt` to the front of `ts`/`vs`
/// (leaving staleness markers out when `drop_stale`), decoding from a copy in `pad` when the
/// chunk fits it; returns how many were written (at most the shorter slice's length) and,
/// for corrupt bytes, the error after the samples before the fault.
pub(crate) fn decode_window(
    bytes: &[u8],
    pad: &mut PadBuf,
    window: (i64, i64),
    drop_stale: bool,
    ts: &mut [i64],
    vs: &mut [f64],
) -> (usize, Result<(), ChunkError>) {
    let h = match header(bytes) {
        Ok(h) => h,
        Err(e) => return (0, Err(e)),
    };
    let body = h.body;
    let mark = h.mark_before(window.0);
    let start = mark.map_or(0, |m| m.pos);
    let len = body.len();
    match pad.0.get_mut(..len + 32) {
        Some(copy) if len <= PADDED_BODY_MAX => {
            let (data, zeros) = copy.split_at_mut(len);
            data.copy_from_slice(body);
            zeros.fill(0);
            let r = PaddedBits {
                buf: &pad.0,
                pos: start,
                len: len * 8,
            };
            let d = Decoder::resumed(r, &h, mark.as_ref());
            window_of(d, window, drop_stale, ts, vs)
        }
        _ => {
            // Chunks this big are rare (arbitrary floats at irregular times): checked per
            // sample, which keeps a second copy of the loops out of the wasm.
            let mut r = SliceBits::new(body);
            r.pos = start;
            let d = Decoder::resumed(r, &h, mark.as_ref());
            let mut out = Slots {
                free: ts.iter_mut().zip(vs.iter_mut()),
                used: 0,
            };
            let result = d.window_into::<true>(window, drop_stale, &mut out);
            (out.used, result)
        }
    }
}

/// [`decode_window`] with decoder `d`: without the per-sample end-of-input test, and only
/// when that finds a fault, again with it (sound chunks, the store's own, decode once).
fn window_of<R: Bits + Clone>(
    d: Decoder<R>,
    window: (i64, i64),
    drop_stale: bool,
    ts: &mut [i64],
    vs: &mut [f64],
) -> (usize, Result<(), ChunkError>) {
    let mut out = Slots {
        free: ts.iter_mut().zip(vs.iter_mut()),
        used: 0,
    };
    if d.clone()
        .window_into::<false>(window, drop_stale, &mut out)
        .is_ok()
    {
        return (out.used, Ok(()));
    }
    let mut out = Slots {
        free: ts.iter_mut().zip(vs.iter_mut()),
        used: 0,
    };
    let result = d.window_into::<true>(window, drop_stale, &mut out);
    (out.used, result)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// xorshift64*: deterministic pseudo-random numbers for property-style tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    const SPECIAL: [f64; 9] = [
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        crate::STALE_NAN,
        f64::MIN_POSITIVE,
        f64::MAX,
        -9_007_199_254_740_992.0,
    ];

    fn random_value(rng: &mut Rng, prev: f64) -> f64 {
        match rng.below(10) {
            0 => SPECIAL[rng.below(SPECIAL.len() as u64) as usize],
            1 => f64::from_bits(rng.next()), // any bit pattern, NaN payloads included
            2 => f64::from_bits(0x7ff0_0000_0000_0000 | (rng.next() >> 12) | 1),
            3 => prev,
            4 => (prev + rng.below(1000) as f64).trunc(),
            5 => rng.below(20) as f64,
            6 => -(rng.below(1 << 40) as f64),
            7 => prev * 1.0001,
            _ => rng.below(1_000_000) as f64 / 1000.0,
        }
    }

    fn random_delta(rng: &mut Rng) -> i64 {
        match rng.below(8) {
            0 => 1,
            1 => 1 + rng.below(1 << 62) as i64,      // huge
            2 => 15_000 + rng.below(21) as i64 - 10, // jittered scrape interval
            3 => 1 + rng.below(100_000_000) as i64,  // irregular
            _ => 15_000,
        }
    }

    fn random_samples(rng: &mut Rng, n: usize) -> Vec<(i64, f64)> {
        let mut t = match rng.below(3) {
            0 => i64::MIN,
            1 => -(rng.below(1 << 50) as i64),
            _ => 1_700_000_000_000,
        };
        let mut v = 0.0;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push((t, v));
            match t.checked_add(random_delta(rng)) {
                Some(next) => t = next,
                None => break,
            }
            v = random_value(rng, v);
        }
        out
    }

    fn bits(samples: &[(i64, f64)]) -> Vec<(i64, u64)> {
        samples.iter().map(|&(t, v)| (t, v.to_bits())).collect()
    }

    fn streamed(samples: &[(i64, f64)]) -> Vec<u8> {
        let mut e = Encoder::default();
        for &(t, v) in samples {
            e.push(t, v);
        }
        e.bytes().to_vec()
    }

    #[test]
    fn random_sequences_round_trip_bit_for_bit() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..3000 {
            let n = 1 + rng.below(CHUNK_SAMPLES as u64 + 20) as usize;
            let samples = random_samples(&mut rng, n);
            let want = bits(&samples);
            assert_eq!(
                bits(&decode_all(&streamed(&samples)).unwrap()),
                want,
                "streamed case {case}"
            );
            assert_eq!(
                bits(&decode_all(&encode_best(&samples)).unwrap()),
                want,
                "sealed case {case}"
            );
        }
    }

    #[test]
    fn window_decoding_equals_filtering_every_sample() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        // One scratch buffer for all cases: a shorter chunk after a longer one must not see
        // the longer one's bytes.
        let mut pad = PadBuf::new();
        let mut big = 0;
        for case in 0..2000 {
            // Up to 2.5 KB of body, on both sides of the copy's size limit.
            let n = 1 + rng.below(CHUNK_SAMPLES as u64 + 60) as usize;
            let mut samples = random_samples(&mut rng, n);
            if case % 20 == 0 {
                // Arbitrary bit patterns at irregular times: the largest chunks.
                let mut t = 0i64;
                samples = (0..CHUNK_SAMPLES + 60)
                    .map(|_| {
                        t += 1 + rng.below(1 << 40) as i64;
                        (t, f64::from_bits(rng.next()))
                    })
                    .collect();
            }
            let bytes = if case % 2 == 0 {
                encode_best(&samples).to_vec()
            } else {
                streamed(&samples)
            };
            big += usize::from(bytes.len() > PADDED_BODY_MAX + 4);
            // Window edges on, between and beyond the samples.
            let pick = |rng: &mut Rng| {
                let (t, _) = samples[rng.below(samples.len() as u64) as usize];
                t.saturating_add(rng.below(3) as i64 - 1)
            };
            let (a, b) = (pick(&mut rng), pick(&mut rng));
            let (mint, maxt) = (a.min(b), a.max(b));
            let drop_stale = rng.below(2) == 0;
            assert_window(&bytes, &mut pad, &samples, (mint, maxt), drop_stale, case);
        }
        assert!(big > 0, "no chunk took the bounds-checked path");
    }

    /// 120 samples at 15 s whose values are not decimals (XOR, about 700 bytes).
    fn float_samples(seed: u64) -> Vec<(i64, f64)> {
        (0..120)
            .map(|i| (1_000 + i * 15_000, (i as f64 + seed as f64) * 1.1 * 3.7))
            .collect()
    }

    #[test]
    fn long_xor_chunks_get_marks_and_windows_decode_the_same_from_them() {
        let mut pad = PadBuf::new();
        for seed in 0..20 {
            let samples = float_samples(seed);
            let plain = encode_raw(ValueCoding::Xor, 0, &samples, f64::to_bits);
            let marked = encode_best(&samples);
            assert_eq!(marked[0], XOR | REGULAR | MARKED);
            let m = usize::from(marked[3]);
            assert_eq!(m, (plain.len() - HEADER_BYTES) / MARK_SPACING_BYTES);
            assert!(m >= 1);
            // The stream is the unmarked chunk's, after the marks.
            let unmarked = encode(ValueCoding::Xor, 0, &samples, Some(15_000), 0);
            assert_eq!(unmarked[0], XOR | REGULAR);
            assert_eq!(marked.len(), unmarked.len() + 1 + m * MARK_BYTES);
            assert_eq!(&marked[4 + m * MARK_BYTES..], &unmarked[HEADER_BYTES..]);
            // Irregular timestamps get marks too.
            let mut jittered = samples.clone();
            jittered[7].0 += 1;
            let irregular = encode_best(&jittered);
            assert_eq!(irregular[0], XOR | MARKED);
            assert_eq!(bits(&decode_all(&irregular).unwrap()), bits(&jittered));
            assert_eq!(first_timestamp(&marked), Some(1_000));
            assert_eq!(bits(&decode_all(&marked).unwrap()), bits(&samples));
            let h = header(&marked).unwrap();
            let idx: Vec<u16> = h.marks().map(|m| m.index).collect();
            assert_eq!(
                idx,
                (1..=m)
                    .map(|j| (120 * j / (m + 1)) as u16)
                    .collect::<Vec<_>>()
            );
            // Every window start, on and between samples, and every end past it.
            for a in 0..samples.len() {
                for da in [-1, 0, 1] {
                    let mint = samples[a].0 + da;
                    for maxt in [mint, mint + 200_000, i64::MAX] {
                        let want: Vec<(i64, u64)> = bits(&samples)
                            .into_iter()
                            .filter(|&(t, _)| (mint..=maxt).contains(&t))
                            .collect();
                        let (ts, vs, failed) = window_vecs(&marked, &mut pad, (mint, maxt), false);
                        assert!(!failed);
                        let got: Vec<(i64, u64)> =
                            ts.into_iter().zip(vs.iter().map(|v| v.to_bits())).collect();
                        assert_eq!(got, want, "seed {seed}, window {mint}..={maxt}");
                    }
                }
            }
        }
    }

    #[test]
    fn chunks_without_marks_still_decode() {
        // Encoding 1 as written before marks existed (and still by the open head).
        let samples = float_samples(3);
        let plain = encode_raw(ValueCoding::Xor, 0, &samples, f64::to_bits);
        assert_eq!(plain[0], ValueCoding::Xor as u8);
        assert_eq!(bits(&decode_all(&plain).unwrap()), bits(&samples));
        let mut pad = PadBuf::new();
        let mint = samples[100].0;
        let (ts, _, failed) = window_vecs(&plain, &mut pad, (mint, i64::MAX), false);
        assert!(!failed);
        assert_eq!(ts, samples[100..].iter().map(|s| s.0).collect::<Vec<_>>());
        // Short XOR chunks stay unmarked.
        let short = encode_best(&samples[..20]);
        assert_eq!(short[0], XOR | REGULAR);
        // Every encoding with per-sample timestamps, as written before regular ones existed.
        let ints: Vec<(i64, f64)> = samples.iter().map(|&(t, v)| (t, v.trunc())).collect();
        for coding in [ValueCoding::IntDod, ValueCoding::IntDelta] {
            let old = encode_raw(coding, 0, &ints, |v| v as i64 as u64);
            assert_eq!(old[0], coding as u8);
            assert_eq!(bits(&decode_all(&old).unwrap()), bits(&ints));
            let (ts, _, failed) = window_vecs(&old, &mut pad, (mint, i64::MAX), true);
            assert!(!failed);
            assert_eq!(ts.len(), 20);
        }
    }

    #[test]
    fn regular_timestamps_are_stored_once_and_decode_exactly() {
        let mut rng = Rng(7);
        let mut pad = PadBuf::new();
        for case in 0..500 {
            let n = 2 + rng.below(CHUNK_SAMPLES as u64) as usize;
            let dt = [1, 15_000, 1 << 40][case % 3];
            let t0 = [0, -(1 << 50), 1_700_000_000_000][case % 5 % 3];
            let mut v = 0.0;
            let samples: Vec<(i64, f64)> = (0..n as i64)
                .map(|i| {
                    v = random_value(&mut rng, v);
                    (t0 + i * dt, v)
                })
                .collect();
            let best = encode_best(&samples);
            assert_eq!(best[0] & REGULAR, REGULAR, "case {case}");
            assert_eq!(
                bits(&decode_all(&best).unwrap()),
                bits(&samples),
                "case {case}"
            );
            let (a, b) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
            let (mint, maxt) = (samples[a.min(b)].0 - 1, samples[a.max(b)].0);
            let drop_stale = rng.below(2) == 0;
            assert_window(&best, &mut pad, &samples, (mint, maxt), drop_stale, case);
        }
        // A regular counter: one timestamp bit per sample less than per-sample timestamps.
        let counter: Vec<(i64, f64)> = (0..120).map(|i| (i * 15_000, (i * 37) as f64)).collect();
        let regular = encode_best(&counter);
        let per_sample = encode_raw(
            ValueCoding::from_byte(regular[0] & CODING_MASK).unwrap(),
            regular[3],
            &counter,
            |v| v as i64 as u64,
        );
        assert_eq!(regular[0] & !CODING_MASK, REGULAR);
        // 118 zero-bits of delta-of-delta saved (the interval's code is as long as sample 1's).
        assert!((14..=15).contains(&(per_sample.len() - regular.len())));
    }

    #[test]
    fn runs_of_zero_codes_decode_like_every_sample() {
        // Constant rates and constant values, with changes now and then: long runs of
        // delta-of-delta (or delta) 0 in regular integer chunks.
        let mut rng = Rng(11);
        let mut pad = PadBuf::new();
        for case in 0..300 {
            let n = 2 + rng.below(CHUNK_SAMPLES as u64) as usize;
            let (mut v, mut rate) = (rng.below(1000) as f64, rng.below(3) as f64);
            let samples: Vec<(i64, f64)> = (0..n as i64)
                .map(|i| {
                    if rng.below(40) == 0 {
                        rate = rng.below(5) as f64 - 1.0;
                    }
                    if rng.below(60) == 0 {
                        v = rng.below(100) as f64;
                    }
                    v += rate;
                    (5_000 + i * 15_000, v)
                })
                .collect();
            let coding = [ValueCoding::IntDod, ValueCoding::IntDelta][case % 2];
            let bytes = encode(coding, 0, &samples, Some(15_000), 0);
            assert_eq!(bytes[0], coding as u8 | REGULAR);
            assert_eq!(bits(&decode_all(&bytes).unwrap()), bits(&samples));
            for _ in 0..20 {
                let (a, b) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
                let mint = samples[a.min(b)].0 - [0, 1, 7_000][rng.below(3) as usize];
                let maxt = samples[a.max(b)].0 + [0, 1][rng.below(2) as usize];
                let (ts, vs, failed) = window_vecs(&bytes, &mut pad, (mint, maxt), false);
                assert!(!failed);
                let want: Vec<(i64, u64)> = bits(&samples)
                    .into_iter()
                    .filter(|&(t, _)| (mint..=maxt).contains(&t))
                    .collect();
                let got: Vec<(i64, u64)> =
                    ts.into_iter().zip(vs.iter().map(|v| v.to_bits())).collect();
                assert_eq!(got, want, "case {case}, window {mint}..={maxt}");
            }
            // Cut short, the samples before the cut come out and then the error, as when
            // decoding sample by sample.
            for cut in 4..bytes.len() {
                let window = (samples[n / 2].0, i64::MAX);
                let (ts, _, failed) = window_vecs(&bytes[..cut], &mut pad, window, false);
                let (all, all_failed) = iterated(&bytes[..cut]);
                let want: Vec<i64> = all.iter().map(|s| s.0).filter(|&t| t >= window.0).collect();
                assert_eq!((ts, failed), (want, all_failed), "case {case}, cut {cut}");
            }
        }
    }

    #[test]
    fn regular_timestamps_that_would_overflow_or_not_increase_are_errors() {
        let samples = [(i64::MAX - 20, 1.5), (i64::MAX - 10, 2.5), (i64::MAX, 3.5)];
        let bytes = encode_best(&samples);
        assert_eq!(bits(&decode_all(&bytes).unwrap()), bits(&samples));
        // One sample more claimed: its time would pass i64::MAX.
        let mut more = bytes.to_vec();
        more[2] += 1;
        assert!(decode_all(&more).is_err());
        let mut pad = PadBuf::new();
        assert!(window_vecs(&more, &mut pad, (0, i64::MAX), false).2);
        // An interval of 0 (class 0 right after t0).
        let zero = [
            XOR | REGULAR,
            0,
            2,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        ];
        assert!(decode_all(&zero).is_err());
        // Unknown flags.
        let mut unknown = bytes.to_vec();
        unknown[0] |= 0x40;
        assert!(decode_all(&unknown).is_err());
    }

    #[test]
    fn a_mark_disagreeing_with_the_stream_is_an_error() {
        let marked = encode_best(&float_samples(5));
        assert_eq!(marked[0], XOR | REGULAR | MARKED);
        // Each field of the first mark, altered.
        for at in [1, 3, 5, 11, 19, 20, 21] {
            let mut bad = marked.to_vec();
            bad[4 + at] ^= 1;
            assert!(decode_all(&bad).is_err(), "byte {at} of the mark");
        }
        // Marks cut off, or claimed beyond the bytes.
        assert!(decode_all(&marked[..10]).is_err());
        let mut many = marked.to_vec();
        many[3] = 200;
        assert!(decode_all(&many).is_err());
    }

    #[test]
    fn integral_values_get_an_integer_encoding_and_stay_exact() {
        let samples: Vec<(i64, f64)> = (0..120)
            .map(|i| (i * 15_000, (i * i * 7 + 3 * i) as f64))
            .collect();
        let best = encode_best(&samples);
        assert_ne!(best[0] & CODING_MASK, XOR);
        assert!(best.len() <= streamed(&samples).len());
        assert_eq!(bits(&decode_all(&best).unwrap()), bits(&samples));
        // -0.0 is not an integer for these encodings: its sign bit must survive.
        let with_neg_zero = [(0, 1.0), (1, -0.0), (2, 3.0)];
        let best = encode_best(&with_neg_zero);
        assert_eq!(best[0] & CODING_MASK, XOR);
        assert_eq!(bits(&decode_all(&best).unwrap()), bits(&with_neg_zero));
    }

    #[test]
    fn the_head_streams_scaled_integers_and_switches_to_xor_when_no_scale_fits() {
        let mut e = Encoder::default();
        for i in 0..50 {
            e.push(i * 15_000, (i * 3) as f64);
        }
        assert_eq!(e.bytes()[0], ValueCoding::IntDod as u8);
        e.push(50 * 15_000, 0.5);
        assert_eq!((e.bytes()[0], e.bytes()[3]), (ValueCoding::IntDod as u8, 1));
        e.push(51 * 15_000, 7.0);
        e.push(52 * 15_000, -0.0);
        assert_eq!(e.bytes()[0], ValueCoding::Xor as u8);
        let mut want: Vec<(i64, f64)> = (0..50).map(|i| (i * 15_000, (i * 3) as f64)).collect();
        want.extend([(750_000, 0.5), (765_000, 7.0), (780_000, -0.0)]);
        assert_eq!(bits(&decode_all(e.bytes()).unwrap()), bits(&want));
        let mut stale = Encoder::default();
        stale.push(0, 1.0);
        stale.push(1, crate::STALE_NAN);
        assert_eq!(
            bits(&decode_all(stale.bytes()).unwrap()),
            bits(&[(0, 1.0), (1, crate::STALE_NAN)])
        );
    }

    #[test]
    fn decimal_values_are_stored_as_scaled_integers_exactly() {
        // CPU seconds in 10 ms ticks, as node_exporter exposes them.
        let samples: Vec<(i64, f64)> = (0..120)
            .map(|i| (i * 15_000, (1_234_567 + i * 1_487 + i % 3) as f64 / 100.0))
            .collect();
        let best = encode_best(&samples);
        assert_ne!(best[0] & CODING_MASK, XOR);
        assert_eq!(best[3], 2, "scale 10^2");
        let xor = encode_raw(ValueCoding::Xor, 0, &samples, f64::to_bits);
        assert!(best.len() < xor.len() / 2);
        assert_eq!(bits(&decode_all(&best).unwrap()), bits(&samples));
        assert_eq!(decimal_scale(&[(0, 0.1), (1, 0.25)]), Some(2));
        assert_eq!(decimal_scale(&[(0, 1.0 / 3.0)]), None);
        assert_eq!(decimal_scale(&[(0, f64::NAN)]), None);
        assert_eq!(decimal_scale(&[(0, -0.0)]), None);
    }

    #[test]
    fn regular_counters_compress_below_two_bytes_per_sample() {
        let samples: Vec<(i64, f64)> = (0..120)
            .map(|i| (1_700_000_000_000 + i * 15_000, (i * 37 + i % 5) as f64))
            .collect();
        let best = encode_best(&samples);
        assert!(best.len() < 2 * 120, "{} bytes", best.len());
    }

    /// The samples the bounds-checked iterator yields before it stops, and whether it failed.
    fn iterated(bytes: &[u8]) -> (Vec<(i64, u64)>, bool) {
        let Ok(mut d) = Decoder::new(bytes) else {
            return (Vec::new(), true);
        };
        let mut out = Vec::new();
        loop {
            match d.next_sample() {
                Ok(Some(s)) => out.push(s),
                Ok(None) => return (bits(&out), false),
                Err(_) => return (bits(&out), true),
            }
        }
    }

    /// `decode_window` into vectors (room for one sample more than the chunk claims).
    /// Decoding `bytes`' window gives exactly `samples` in it (stale markers dropped when
    /// asked), bit for bit.
    fn assert_window(
        bytes: &[u8],
        pad: &mut PadBuf,
        samples: &[(i64, f64)],
        (mint, maxt): (i64, i64),
        drop_stale: bool,
        case: impl std::fmt::Display,
    ) {
        let (ts, vs, failed) = window_vecs(bytes, pad, (mint, maxt), drop_stale);
        assert!(!failed, "case {case}");
        let want: Vec<(i64, u64)> = bits(samples)
            .into_iter()
            .filter(|&(t, v)| {
                (mint..=maxt).contains(&t) && !(drop_stale && v == crate::STALE_NAN_BITS)
            })
            .collect();
        let got: Vec<(i64, u64)> = ts.into_iter().zip(vs.iter().map(|v| v.to_bits())).collect();
        assert_eq!(got, want, "case {case}, window {mint}..={maxt}");
    }

    fn window_vecs(
        bytes: &[u8],
        pad: &mut PadBuf,
        window: (i64, i64),
        drop_stale: bool,
    ) -> (Vec<i64>, Vec<f64>, bool) {
        let room = sample_count(bytes) + 1;
        let (mut ts, mut vs) = (vec![0; room], vec![0.0; room]);
        let (n, result) = decode_window(bytes, pad, window, drop_stale, &mut ts, &mut vs);
        ts.truncate(n);
        vs.truncate(n);
        (ts, vs, result.is_err())
    }

    /// The same through `decode_window` over all time (the padded copy for small chunks).
    fn windowed(bytes: &[u8], pad: &mut PadBuf) -> (Vec<(i64, u64)>, bool) {
        let (ts, vs, failed) = window_vecs(bytes, pad, (i64::MIN, i64::MAX), false);
        let got: Vec<(i64, f64)> = ts.into_iter().zip(vs).collect();
        (bits(&got), failed)
    }

    #[test]
    fn truncated_or_corrupt_bytes_give_errors_not_panics() {
        let mut rng = Rng(42);
        let mut pad = PadBuf::new();
        for _ in 0..300 {
            let n = 1 + rng.below(120) as usize;
            let samples = random_samples(&mut rng, n);
            let bytes = encode_best(&samples);
            for cut in 0..bytes.len() {
                // Every strict prefix either fails or (when only padding was cut) decodes exactly.
                if let Ok(got) = decode_all(&bytes[..cut]) {
                    assert_eq!(bits(&got), bits(&samples));
                }
                assert_eq!(windowed(&bytes[..cut], &mut pad), iterated(&bytes[..cut]));
            }
            let mut flipped = bytes.to_vec();
            let i = rng.below(flipped.len() as u64) as usize;
            flipped[i] ^= 1 << rng.below(8);
            let _ = decode_all(&flipped);
            assert_eq!(windowed(&flipped, &mut pad), iterated(&flipped));
        }
        assert!(decode_all(&[]).is_err());
        assert!(decode_all(&[9, 0, 1, 0]).is_err());
        assert!(decode_all(&[1, 0, 0]).is_err());
        assert!(decode_all(&[1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]).is_err());
    }
}
