use hello::ThreadPool;
use std::{
    env, fs, io,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::mpsc,
};

/// Count the lines of every file under a folder (the current one if none is
/// given), each file on the pool, and print them as `wc -l` does, sorted by
/// path, with the total last.
fn main() -> ExitCode {
    let folder = env::args_os()
        .nth(1)
        .map_or(PathBuf::from("."), PathBuf::from);
    let files = match files_under(&folder) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: cannot list {}: {e}", folder.display());
            return ExitCode::FAILURE;
        }
    };
    let pool = match ThreadPool::build(4) {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("error: could not start the thread pool: {e}");
            return ExitCode::FAILURE;
        }
    };

    let (results, counted) = mpsc::channel();
    for file in files {
        let results = results.clone();
        pool.execute(move || {
            let lines = fs::read(&file).map(|bytes| count_lines(&bytes));
            // The receiver outlives the pool's jobs: main waits for them.
            let _ = results.send((file, lines));
        });
    }
    drop(results);
    let mut counts: Vec<_> = counted.iter().collect();
    counts.sort_by(|a, b| a.0.cmp(&b.0));

    let mut total = 0;
    let mut failed = false;
    for (file, lines) in counts {
        match lines {
            Ok(lines) => {
                total += lines;
                println!("{lines:>8} {}", file.display());
            }
            Err(e) => {
                failed = true;
                eprintln!("error: cannot read {}: {e}", file.display());
            }
        }
    }
    println!("{total:>8} total");
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Every file under `folder`, in its subfolders too.
fn files_under(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                folders.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    Ok(files)
}

/// The number of lines, as `wc -l` counts them: newline characters.
fn count_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}
