fn main() -> std::process::ExitCode {
    huizong::cli::main()
}
