//! (to be written)

/// Runs the CLI with `args` (without the program name); returns the exit code.
pub fn main(_args: &[String]) -> i32 {
    2
}
