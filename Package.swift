// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "customer-es",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "customer-es", targets: ["customer-es"]),
        .executable(name: "customer-es-bench", targets: ["customer-es-bench"]),
        .library(name: "EventStore", targets: ["EventStore"]),
    ],
    targets: [
        // The C library, as Debian's liblmdb-dev ships it (lmdb.pc + lmdb.h).
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"]), .brew(["lmdb"])]
        ),
        // The POSIX toolbox: EINTR retry, one system-call error, durable atomic file writes, private folders.
        .target(name: "SystemCalls"),
        // libxcrypt, as Debian's libcrypt-dev ships it (crypt.h + libcrypt): yescrypt and bcrypt password hashes.
        .systemLibrary(
            name: "CCrypt",
            providers: [.apt(["libcrypt-dev"]), .brew(["libxcrypt"])]
        ),
        // Password hashing (yescrypt, verifying bcrypt too) and the only code that calls crypt_*.
        .target(name: "PasswordHashing", dependencies: ["CCrypt", "SystemCalls"]),
        // HTTP/1.1 on POSIX sockets: parsing, limits, timeouts, connections, routing. Knows nothing of customers.
        .target(name: "HTTPServer", dependencies: ["SystemCalls"]),
        // A typed HTML builder that escapes every text and attribute value.
        .target(name: "HTMLBuilder"),
        // A tiny, allocation-light binary encoding shared by the event envelope and the event payloads.
        .target(name: "CompactCodec"),
        // The append-only log and the only code that calls mdb_*.
        .target(name: "EventStore", dependencies: ["CLMDB", "CompactCodec", "SystemCalls"]),
        // The pure Decider: commands, events, state, rules. No I/O.
        .target(name: "CustomerAggregate", dependencies: ["CompactCodec"]),
        // Read models maintained in the same write transaction as the events they follow.
        .target(name: "Projections", dependencies: ["EventStore", "CustomerAggregate", "CompactCodec"]),
        // RFC 5322 rendering and the file / SMTP transports. Knows nothing about events.
        .target(name: "Mail", dependencies: ["SystemCalls"]),
        // The application layer: command handling, settings, tokens, credentials, outbox dispatch, import.
        // Resources: the common-password block list of the password policy.
        .target(
            name: "CustomerService",
            dependencies: ["EventStore", "CustomerAggregate", "Projections", "Mail", "CompactCodec", "SystemCalls", "PasswordHashing"],
            resources: [.copy("Resources/common-passwords.txt")]
        ),
        // The customer's pages of `serve` (the links of the emails): handlers over the application layer only.
        .target(name: "Storefront", dependencies: ["CustomerService", "CustomerAggregate", "HTTPServer", "HTMLBuilder"]),
        // The operators' back office and admin API of `serve`: handlers over the application layer only.
        .target(name: "BackOffice", dependencies: ["CustomerService", "CustomerAggregate", "HTTPServer", "HTMLBuilder"]),
        .executableTarget(
            name: "customer-es",
            dependencies: ["CustomerService", "CustomerAggregate", "Storefront", "BackOffice"]
        ),
        .executableTarget(
            name: "customer-es-bench",
            dependencies: ["CustomerService", "Projections", "CustomerAggregate", "EventStore", "CLMDB"]
        ),
        // A child process for the event store's multi-process and kill -9 tests.
        .executableTarget(name: "eventstore-worker", dependencies: ["EventStore"]),
        // Temporary folders and child processes, shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CompactCodecTests", dependencies: ["CompactCodec"]),
        .testTarget(name: "SystemCallsTests", dependencies: ["SystemCalls", "TestSupport"]),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "CLMDB", "CompactCodec", "TestSupport"]),
        .testTarget(name: "CustomerAggregateTests", dependencies: ["CustomerAggregate"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["Projections", "EventStore", "CustomerAggregate", "CompactCodec", "CustomerService", "TestSupport"]),
        .testTarget(name: "MailTests", dependencies: ["Mail", "TestSupport"]),
        .testTarget(name: "CustomerServiceTests", dependencies: ["CustomerService", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "PasswordHashingTests", dependencies: ["PasswordHashing"]),
        // A few routes on the real server, run as a child process by HTTPServerTests.
        .executableTarget(name: "http-test-server", dependencies: ["HTTPServer"], path: "Tests/HTTPTestServer"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "HTMLBuilderTests", dependencies: ["HTMLBuilder"]),
        .testTarget(name: "BackOfficeTests", dependencies: ["BackOffice", "CustomerAggregate", "CustomerService", "HTTPServer", "TestSupport"]),
        // Reads Sources/ and fails when a module imports a layer it must not.
        .testTarget(name: "ArchitectureTests"),
    ],
    swiftLanguageModes: [.v6]
)

// Every `customer-es` command is a short-lived process, so start-up is part of every command's latency. Linked
// against the shared Swift runtime and Foundation, a process spends most of its first ~10 ms in the dynamic loader
// (twenty shared libraries, ICU's 40 MB among them, tens of thousands of symbol lookups and relocations) before
// `main` runs. Release builds on Linux therefore do what `swift build --static-swift-stdlib` does — every module
// compiled against the static runtime, every executable linked with it — so that `swift build -c release` and
// `swift run -c release …` (the demo, the benchmarks, whoever builds by hand) all produce the fast binary, and they
// strip the symbol tables (crash backtraces then show addresses only). Debug builds, which the tests use, stay
// dynamic: they link fast and no test times start-up. A release build of the test targets is not supported
// (XCTest exists only as a shared library).
// `CUSTOMER_ES_KEEP_SYMBOLS=1 swift build -c release --scratch-path .build-profile` keeps them, for `perf`.
let keepSymbols = Context.environment["CUSTOMER_ES_KEEP_SYMBOLS"] != nil
let staticRelease: BuildSettingCondition = .when(platforms: [.linux], configuration: .release)
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-static-stdlib"], staticRelease)]
    if target.type == .executable {
        target.linkerSettings = (target.linkerSettings ?? [])
            + [.unsafeFlags(["-static-stdlib"] + (keepSymbols ? [] : ["-Xlinker", "--strip-all"]), staticRelease)]
    }
}
