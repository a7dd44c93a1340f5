use std::process::ExitCode;

fn main() -> ExitCode {
    hemasite::cli::run()
}
