import Cache
import Foundation
import Site

/// Stat of an output file, as the manifest records it.
enum OutputFiles {
    static func fileStat(_ path: String) -> FileStat? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileStat(st)
    }

    /// Removes now-empty directories from `path`'s parent up to (not including) `stop`.
    static func pruneEmptyDirectories(from path: String, stop: String) {
        var directory = AtomicFileWriter.parentDirectory(of: path)
        while directory.count > stop.count, directory.hasPrefix(stop), rmdir(directory) == 0 {
            directory = AtomicFileWriter.parentDirectory(of: directory)
        }
    }
}

extension SiteBuildRun {
    /// Writes one output atomically (unless already current) and returns its manifest record.
    mutating func write(_ bytes: [UInt8], to path: String, source: String, hash: ContentHash) -> BuildState.OutputRecord? {
        account(writer.write(bytes, at: path, source: source, hash: hash), source: source)
    }

    /// Counts a stored output in the report; nil (and an error) when it failed.
    mutating func account(_ stored: OutputWriter.Stored, source: String) -> BuildState.OutputRecord? {
        if let error = stored.error {
            report.errors.append(SiteError(file: builder.errorPrefix + source, message: "cannot write \(error)"))
            failed.insert(source)
            return nil
        }
        if stored.written {
            report.written += 1
            report.writtenOutputs.append(stored.path)
        }
        return stored.record
    }

    /// Who writes an output: a source claimed it in this build, or (for
    /// pages carried over unchanged) the manifest says so.
    func owner(of output: String) -> String? {
        claimed[output] ?? new.outputs[output]?.source
    }

    /// Copies assets whose bytes or output changed.
    mutating func copyAssets() {
        for file in files where file.kind == .asset {
            guard let record = new.files[file.path] else { continue }
            if let owner = owner(of: file.path), owner != file.path {
                report.errors.append(SiteError(file: builder.errorPrefix + file.path, message: "output \(file.path) is also written by \(builder.errorPrefix + owner)"))
                continue
            }
            claimed[file.path] = file.path
            report.assets += 1
            if let current = writer.isCurrent(file.path, hash: record.hash) {
                new.outputs[file.path] = current
                continue
            }
            guard let bytes = read(file.path) else { continue }
            if let output = write(bytes, to: file.path, source: file.path, hash: record.hash) {
                new.outputs[file.path] = output
            }
        }
    }

    /// Deletes outputs the previous build wrote that nothing produces now
    /// (their source was deleted, renamed, or stopped producing them). Only
    /// files in the manifest are ever deleted; outputs of pages that failed
    /// this time are kept (and the failure is in the report).
    mutating func removeStaleOutputs() {
        // When this build's manifest was made from the last one, only the
        // paths it changed can have lost their output.
        let candidates = new.outputs.changedKeys(since: old.outputs).map(Array.init) ?? old.outputs.keys
        for path in candidates where new.outputs[path] == nil {
            guard let record = old.outputs[path] else { continue }
            if failed.contains(record.source) || claimed[path] != nil {
                new.outputs[path] = record
                continue
            }
            let absolute = builder.outputDirectory + "/" + path
            if unlink(absolute) == 0 || errno == ENOENT {
                report.removed += 1
                report.removedOutputs.append(path)
                OutputFiles.pruneEmptyDirectories(from: absolute, stop: builder.outputDirectory)
            }
        }
        // Pages that failed keep their previous action out of the state, so
        // the next build tries them again; their outputs stay claimed.
        for path in failed { new.pages[path] = nil }
    }
}
