// A child process for the event store's multi-process and crash tests (and handy for poking at a store by
// hand). It appends batches and reports each batch on stdout only after its commit returned, so that a test
// that kills it with SIGKILL knows exactly which batches must have survived.
//
//   eventstore-worker DIR STREAM BATCHES BATCH_SIZE [PAYLOAD_BYTES]
//   BATCHES = 0 appends until killed.
//   eventstore-worker hold-read DIR      opens a read transaction, says "reading", and waits to be killed.
//   eventstore-worker hold-write DIR MS  holds the store's writer for MS milliseconds (says "writing" once it
//                                        has it), then commits nothing and exits: other writers queue meanwhile.
import EventStore
import Foundation

/// Unbuffered, so that a line is out before the next batch starts (a SIGKILL must not eat reports).
func report(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "hold-read" {
    do {
        let store = try EventStore(directory: URL(fileURLWithPath: arguments[2]))
        try store.read { _ in
            report("reading")
            while true { sleep(60) }
        }
    } catch {
        FileHandle.standardError.write(Data("eventstore-worker: \(error)\n".utf8))
        exit(3)
    }
}
if arguments.count == 4, arguments[1] == "hold-write", let milliseconds = UInt32(arguments[3]) {
    do {
        let store = try EventStore(directory: URL(fileURLWithPath: arguments[2]))
        try store.write { _ in
            report("writing")
            usleep(milliseconds * 1000)
        }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("eventstore-worker: \(error)\n".utf8))
        exit(3)
    }
}
guard arguments.count >= 5, let batches = Int(arguments[3]), let batchSize = Int(arguments[4]), batchSize > 0 else {
    FileHandle.standardError.write(Data("usage: eventstore-worker DIR STREAM BATCHES BATCH_SIZE [PAYLOAD_BYTES]\n".utf8))
    exit(2)
}
let payloadBytes = arguments.count > 5 ? Int(arguments[5]) ?? 64 : 64
do {
    let store = try EventStore(directory: URL(fileURLWithPath: arguments[1]))
    let stream = try StreamName(arguments[2])
    let pid = getpid()
    var batch = 0
    while batches == 0 || batch < batches {
        batch += 1
        let events = (0..<batchSize).map { index -> EventData in
            // payload: "pid batch index size" then padding, so a reader can check a batch is whole.
            var payload = Array("\(pid) \(batch) \(index) \(batchSize)".utf8)
            if payload.count < payloadBytes { payload += [UInt8](repeating: 0x2E, count: payloadBytes - payload.count) }
            return EventData(type: "WorkerEvent", metadata: EventMetadata(actor: "worker-\(pid)"), payload: payload)
        }
        let result = try store.append(events, to: stream, expectedVersion: .any)
        report("committed \(batch) \(result.firstPosition) \(result.lastPosition)")
    }
} catch {
    FileHandle.standardError.write(Data("eventstore-worker: \(error)\n".utf8))
    exit(3)
}
