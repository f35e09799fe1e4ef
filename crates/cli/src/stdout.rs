//! Writing results to stdout without panicking when the reader goes away.
//!
//! `println!` panics when stdout is a closed pipe (`signalboard-cli eval … | head -1`),
//! because Rust ignores SIGPIPE. [`outln!`] and [`out!`] write through [`write`] instead: a
//! closed pipe ends the process quietly with status 0, as `rg`/`fd` do (the reader asked for
//! no more); any other write error is reported once on stderr with status 1.

use std::fmt::Arguments;
use std::io::{self, Write};

/// Writes formatted text to stdout; see the module doc for what happens on a closed pipe.
pub fn write(args: Arguments<'_>, newline: bool) {
    let mut out = io::stdout().lock();
    let result = out.write_fmt(args).and_then(|()| {
        if newline {
            out.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    if let Err(e) = result {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("signalboard-cli: writing to stdout: {e}");
        std::process::exit(1);
    }
}

/// `println!` that survives a closed stdout pipe.
macro_rules! outln {
    () => { $crate::stdout::write(format_args!(""), true) };
    ($($arg:tt)*) => { $crate::stdout::write(format_args!($($arg)*), true) };
}

/// `print!` that survives a closed stdout pipe.
macro_rules! out {
    ($($arg:tt)*) => { $crate::stdout::write(format_args!($($arg)*), false) };
}
