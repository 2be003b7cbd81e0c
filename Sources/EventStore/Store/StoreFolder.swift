import Foundation

/// The folder of a store, judged before LMDB opens anything in it: only an absent or empty folder may become a
/// new store; a folder with traces of a store but no sound event log is damaged; anything else in the way is
/// not a store. Also where the rules about who may own and write the store's files live.
public struct StoreFolder: Sendable {
    public enum State: Sendable, Equatable {
        /// No folder: a write creates the store.
        case absent
        /// An empty folder (or one holding only what an interrupted creation leaves): a write creates the store.
        case empty
        /// `data.mdb` is there and its meta pages agree with its size.
        case existing
    }

    public static let dataFile = "data.mdb"
    public static let lockFile = "lock.mdb"
    /// The advisory lock every customer-es writer takes before LMDB's writer lock (see `WriterLock`).
    public static let writerLockFile = "writer.lock"
    /// Names that say "a store was here" when `data.mdb` is missing.
    static let traces: Set<String> = [lockFile, "token.key", "mail"]

    public let path: String

    public init(_ directory: URL) {
        path = directory.standardizedFileURL.path
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Whether the folder exists and holds anything but what an interrupted creation leaves (the writer lock, a
    /// key's temporary file): an absent or empty folder is where a new store may be created.
    public var holdsAnything: Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.contains(where: Self.isMeaningful)
    }

    /// Whether a customer-es writer holds the writer lock right now (a writer creating the store holds it until
    /// the store is complete). Asked with a shared lock taken and dropped at once, which works on a read-only
    /// medium too.
    var writerIsActive: Bool {
        let descriptor = open(file(Self.writerLockFile), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Whether a customer-es writer has been here: the writer lock is ours, no other program creates it.
    var hasWriterLockFile: Bool { FileManager.default.fileExists(atPath: file(Self.writerLockFile)) }

    static func isMeaningful(_ name: String) -> Bool {
        name != writerLockFile && !isTemporaryKeyFile(name)
    }

    /// What the folder holds. Throws `.damaged` or `.notAStore` for a folder that must not be opened.
    public func inspect() throws -> State {
        var status = stat()
        if stat(path, &status) != 0 {
            if errno == ENOENT { return .absent }
            throw EventStoreError.fileSystem(operation: "stat", path: path, errno: errno)
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw EventStoreError.notAStore(path: path, reason: "it is not a folder")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw EventStoreError.fileSystem(operation: "list", path: path, errno: EACCES)
        }
        let meaningful = names.filter(Self.isMeaningful)
        if meaningful.isEmpty { return .empty }
        var data = stat()
        guard stat(file(Self.dataFile), &data) == 0, data.st_size > 0 else {
            let what = errno == ENOENT || !names.contains(Self.dataFile) ? "its event log (data.mdb) is missing" : "its event log (data.mdb) is empty"
            if meaningful.contains(where: Self.traces.contains) || names.contains(Self.dataFile) {
                throw EventStoreError.damaged(path: path, reason: what)
            }
            throw EventStoreError.notAStore(path: path, reason: "the folder is not empty and holds no store; use a new or empty folder")
        }
        switch try DataFileCheck.check(path: file(Self.dataFile)) {
        case .sound: return .existing
        case .truncated(let reason): throw EventStoreError.damaged(path: path, reason: reason)
        case .notLMDB(let reason): throw EventStoreError.notAStore(path: path, reason: reason)
        }
    }

    /// The temporary files a key creation writes before publishing `token.key` (`.token.key.<random>.tmp`).
    static func isTemporaryKeyFile(_ name: String) -> Bool {
        name.hasPrefix(".token.key.") && name.hasSuffix(".tmp")
    }

    // MARK: Ownership and modes

    /// Refuses a file or folder that is not owned by the user running this process, or that group or others may
    /// write: whoever can write it could plant a key or events.
    public static func checkPrivate(_ path: String, isFolder: Bool) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            throw EventStoreError.fileSystem(operation: "stat", path: path, errno: errno)
        }
        let user = geteuid()
        if status.st_uid != user {
            throw EventStoreError.unsafePermissions(
                path: path, problem: "it belongs to uid \(status.st_uid), not to the user running this command (uid \(user))",
                fix: "run customer-es as its owner, or make it yours with `chown \(user) \(path)`")
        }
        if status.st_mode & 0o022 != 0 {
            let mode = String(status.st_mode & 0o777, radix: 8)
            throw EventStoreError.unsafePermissions(
                path: path, problem: "its mode \(mode) lets group or others write it",
                fix: "run `chmod \(isFolder ? "700" : "600") \(path)`")
        }
    }

    /// Makes the folder 0700 and LMDB's files 0600 (stores written before these modes, or under a lax umask).
    func tightenModes() {
        chmod(path, 0o700)
        for name in [Self.dataFile, Self.lockFile, Self.writerLockFile] {
            let target = file(name)
            var status = stat()
            if lstat(target, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_mode & 0o077 != 0 {
                chmod(target, 0o600)
            }
        }
    }

    /// Creates the folder (and its parents) with mode 0700 whatever the umask.
    func create() throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw EventStoreError.fileSystem(operation: "mkdir", path: path, errno: EACCES)
        }
        guard chmod(path, 0o700) == 0 else { throw EventStoreError.fileSystem(operation: "chmod", path: path, errno: errno) }
    }
}
