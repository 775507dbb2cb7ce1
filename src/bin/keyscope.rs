//! The `keyscope` command-line tool; all of it lives in [`keyscope::cli`].

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(keyscope::cli::main(&args));
}
