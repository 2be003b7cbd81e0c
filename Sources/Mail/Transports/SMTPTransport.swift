import Foundation

/// Delivers messages to an SMTP relay (RFC 5321), plain text, synchronously, over one reused connection.
///
/// The connection opens on the first `deliver` and stays open for the next ones: the outbox may send 10 000
/// messages in a run, and a TCP connect + greeting + EHLO per message would triple the round trips. After a failed
/// transaction the next one starts with `RSET`; after an I/O error, a timeout or a `421`, the connection is
/// dropped and the next `deliver` opens a new one. A connection the server closed while idle is detected on the
/// first exchange of the next transaction and replaced once, transparently (nothing of the message was sent yet,
/// so this cannot duplicate it).
///
/// Outcomes: 2xx → receipt; 4xx → `.temporary`; 5xx to MAIL/RCPT/DATA → `.permanent`, except a MAIL/RCPT refusal
/// that names our sender address or HELO name → `.outage` (it would refuse every email alike); connection refused,
/// timeouts, dropped connections and garbled replies → `.temporary`. Refusals while opening the session (a 5xx
/// greeting, EHLO and HELO both rejected) are `.temporary` too: they are about the relay's configuration, not
/// about the message, and should not mark thousands of queued messages dead at once.
///
/// Internationalised addresses (RFC 6531): when the sender or the recipient is not ASCII and the relay's EHLO offers
/// `SMTPUTF8`, the envelope and the headers carry them in UTF-8 and MAIL FROM says `SMTPUTF8` (with
/// `BODY=8BITMIME`, as the headers are 8-bit). A relay without it gets the ASCII form: IDN domains as IDNA
/// A-labels in the envelope and the `From`/`To` headers (display names are RFC 2047 encoded-words either way); a
/// recipient whose local part is not ASCII cannot be written so and fails with `.requiresSMTPUTF8`, a sender's
/// with `.outage` (it would fail every email alike).
///
/// Not thread-safe and not Sendable: it owns a socket. Use one transport per dispatching thread.
public final class SMTPTransport: MailTransport {
    public let name = "smtp"
    public let host: String
    public let port: UInt16
    public let heloName: String
    /// Seconds allowed for connecting, for each command's reply and for sending each message.
    public let timeout: TimeInterval

    private var connection: SMTPConnection?
    /// True while a transaction is open or ended in failure: the next one on this connection starts with RSET.
    private var transactionPending = false

    /// `heloName` defaults to this machine's fully qualified name (`LocalHostName.fullyQualified`).
    public init(
        host: String = "127.0.0.1", port: UInt16 = 25, heloName: String = LocalHostName.fullyQualified,
        timeout: TimeInterval = 10
    ) {
        self.host = host
        self.port = port
        self.heloName = heloName
        self.timeout = timeout
    }

    deinit {
        // No QUIT here: deinit must not block on the network. The socket is closed by its own deinit.
        connection?.close()
    }

    /// Checks the configuration without connecting (a relay that is down is an outage, not a configuration error).
    public func prepare() throws(DeliveryFailure) {
        if let problem = configurationProblem { throw .permanent(problem) }
    }

    /// The host and HELO name go into a socket address and a command line: a space or CR/LF would change them.
    private var configurationProblem: String? {
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return "the SMTP host \"\(host)\" is not a host name or address"
        }
        guard port > 0 else { return "the SMTP port must be 1–65535" }
        guard !heloName.isEmpty, heloName.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return "the HELO name \"\(heloName)\" is not a host name (printable ASCII without spaces)"
        }
        return nil
    }

    public func deliver(
        _ message: EmailMessage, rendered: [UInt8], confirm: () -> Bool
    ) throws(DeliveryFailure) -> DeliveryReceipt {
        try Self.checkEnvelope(message)

        if let reused = connection {
            do {
                return try transaction(on: reused, message, rendered, confirm: confirm)
            } catch {
                guard reused.isBroken, reused.repliesSinceTransactionStart == 0 else { throw error }
                // The server closed the idle connection (or said 421) before accepting anything: reconnect once.
            }
        }
        return try transaction(on: try openSession(), message, rendered, confirm: confirm)
    }

    public func close() {
        guard let open = connection else { return }
        connection = nil
        transactionPending = false
        if !open.isBroken {
            // A polite goodbye; failures do not matter, the socket is closed either way.
            _ = try? open.exchange("QUIT", step: "QUIT")
        }
        open.close()
    }

    /// Runs MAIL, RCPT, DATA on `connection`; drops the connection if it broke.
    private func transaction(
        on connection: SMTPConnection, _ message: EmailMessage, _ rendered: [UInt8], confirm: () -> Bool
    ) throws(DeliveryFailure) -> DeliveryReceipt {
        let (envelope, data, mailParameters) = try Self.content(rendered, of: message, for: connection)
        do throws(DeliveryFailure) {
            connection.startTransaction()
            if transactionPending {
                let reset = try connection.exchange("RSET", step: "RSET")
                guard reset.category == 2 else {
                    // Not the message's fault: retire the connection so the next attempt starts a fresh session.
                    connection.abandon()
                    throw .temporary("SMTP server \(connection.endpoint) answered RSET with \(reset)")
                }
                // RSET only cleans up after the previous message; count replies from this message's commands.
                connection.startTransaction()
            }
            transactionPending = true
            let mailFrom = "MAIL FROM:<\(envelope.from.address)>\(mailParameters)"
            try expectEnvelope(connection.exchange(mailFrom, step: mailFrom), of: envelope, on: connection, step: mailFrom)
            let rcptTo = "RCPT TO:<\(envelope.to.address)>"
            try expectEnvelope(connection.exchange(rcptTo, step: rcptTo), of: envelope, on: connection, step: rcptTo)
            try expect(3, connection.exchange("DATA", step: "DATA"), on: connection, step: "DATA")
            // The last moment before the message is handed over. SMTP cannot cancel DATA: dropping the connection
            // before the final dot makes the relay discard the transaction.
            guard confirm() else {
                connection.abandon()
                throw .withdrawn
            }
            let step = "the end of the message data"
            let final = try connection.exchange(bytes: data, step: step)
            try expect(2, final, on: connection, step: step)
            transactionPending = false
            return DeliveryReceipt(transport: name, detail: final.description)
        } catch {
            if connection.isBroken, self.connection === connection {
                self.connection = nil
                transactionPending = false
            }
            throw error
        }
    }

    /// Connects, reads the greeting and introduces ourselves: EHLO, or HELO for servers that reject EHLO.
    private func openSession() throws(DeliveryFailure) -> SMTPConnection {
        if let problem = configurationProblem { throw .temporary(problem) }
        let opened = try SMTPConnection.open(host: host, port: port, timeout: timeout)
        do throws(DeliveryFailure) {
            let greeting = try opened.readReply(step: "the greeting")
            guard greeting.code == 220 else {
                throw sessionRefusal("greeted us with \(greeting) instead of 220", on: opened)
            }
            let ehlo = try opened.exchange("EHLO \(heloName)", step: "EHLO")
            if ehlo.category == 2 {
                // The first line is the server's name; each further line starts with an extension keyword.
                opened.extensions = Set(ehlo.lines.dropFirst().compactMap { line in
                    line.split(separator: " ").first.map { $0.uppercased() }
                })
            } else {
                guard ehlo.category == 5, !opened.isBroken else {
                    throw sessionRefusal("answered EHLO \(heloName) with \(ehlo)", on: opened)
                }
                // An old or minimal server (RFC 821): say HELO instead. We use no extensions anyway.
                let helo = try opened.exchange("HELO \(heloName)", step: "HELO")
                guard helo.category == 2 else {
                    throw sessionRefusal(
                        "rejected both EHLO and HELO \(heloName) (\(ehlo); \(helo)); check the HELO name it expects",
                        on: opened
                    )
                }
            }
        } catch {
            opened.abandon()
            throw error
        }
        connection = opened
        transactionPending = false
        return opened
    }

    /// The message as this server gets it (its envelope addresses), the DATA bytes and the MAIL FROM parameters.
    ///
    /// 8-bit content (`BodyEncoding.eightBit`) is announced with `BODY=8BITMIME`; a server without that extension
    /// must not receive 8-bit data (RFC 6152), so the message is rendered again in quoted-printable for it. A
    /// message with a non-ASCII address goes as it is with `SMTPUTF8` when offered, else in its ASCII form (see
    /// the type's comment).
    private static func content(
        _ rendered: [UInt8], of message: EmailMessage, for connection: SMTPConnection
    ) throws(DeliveryFailure) -> (envelope: EmailMessage, data: [UInt8], mailParameters: String) {
        let offers8BitMIME = connection.extensions.contains("8BITMIME")
        let isInternationalised = !EnvelopeAddress.isASCII(message.from.address)
            || !EnvelopeAddress.isASCII(message.to.address)
        if !isInternationalised {
            guard rendered.contains(where: { $0 >= 0x80 }) else { return (message, DotStuffing.frame(rendered), "") }
            if offers8BitMIME { return (message, DotStuffing.frame(rendered), " BODY=8BITMIME") }
            return (message, try render(message, .quotedPrintable), "")
        }
        if connection.extensions.contains("SMTPUTF8") {
            // RFC 6531 §3.4: the parameter tells the relay the envelope and headers hold UTF-8 (8-bit, hence BODY).
            return (message, DotStuffing.frame(rendered), offers8BitMIME ? " BODY=8BITMIME SMTPUTF8" : " SMTPUTF8")
        }
        let ascii = try asciiForm(of: message, relay: connection.endpoint)
        let keepsEightBitBody = offers8BitMIME && hasEightBitBody(rendered)
        return (ascii, try render(ascii, keepsEightBitBody ? .eightBit : .quotedPrintable),
                keepsEightBitBody ? " BODY=8BITMIME" : "")
    }

    private static func render(_ message: EmailMessage, _ encoding: BodyEncoding) throws(DeliveryFailure) -> [UInt8] {
        do {
            return DotStuffing.frame(try MessageRenderer.render(message, bodyEncoding: encoding))
        } catch {
            throw .permanent("cannot send the email: \(error.description)")
        }
    }

    /// The message with both addresses in ASCII (IDN domains as A-labels), for a relay without SMTPUTF8.
    private static func asciiForm(of message: EmailMessage, relay: String) throws(DeliveryFailure) -> EmailMessage {
        var ascii = message
        do throws(EnvelopeAddress.ASCIIProblem) {
            ascii.from.address = try EnvelopeAddress.asciiForm(of: message.from.address)
        } catch {
            throw .outage("the sender address \"\(message.from.address)\" "
                + Self.explain(error, relay: relay)
                + "; set an ASCII sender with `customer-es settings sender …` or use a relay that offers SMTPUTF8")
        }
        do throws(EnvelopeAddress.ASCIIProblem) {
            ascii.to.address = try EnvelopeAddress.asciiForm(of: message.to.address)
        } catch .localPartNeedsSMTPUTF8 {
            throw .requiresSMTPUTF8("the recipient address \"\(message.to.address)\" "
                + Self.explain(.localPartNeedsSMTPUTF8, relay: relay))
        } catch {
            throw .permanent("cannot send the email: the recipient address \"\(message.to.address)\" "
                + Self.explain(error, relay: relay))
        }
        return ascii
    }

    private static func explain(_ problem: EnvelopeAddress.ASCIIProblem, relay: String) -> String {
        switch problem {
        case .localPartNeedsSMTPUTF8:
            return "needs SMTPUTF8 (its local part is not ASCII), which the SMTP server \(relay) does not offer"
        case .domain(let failure):
            return "has no ASCII (IDNA) form for the SMTP server \(relay), which does not offer SMTPUTF8: \(failure)"
        }
    }

    /// Whether the body (after the blank line ending the header) holds 8-bit bytes; the header of a message with
    /// only ASCII addresses never does (non-ASCII names and subjects are encoded-words).
    private static func hasEightBitBody(_ rendered: [UInt8]) -> Bool {
        var index = 0
        while index + 3 < rendered.count {
            if rendered[index] == 13, rendered[index + 1] == 10, rendered[index + 2] == 13, rendered[index + 3] == 10 {
                return rendered[(index + 4)...].contains { $0 >= 0x80 }
            }
            index += 1
        }
        return false
    }

    private func sessionRefusal(_ problem: String, on connection: SMTPConnection) -> DeliveryFailure {
        connection.abandon()
        return .temporary("SMTP server \(connection.endpoint) \(problem)")
    }

    /// MAIL FROM and RCPT TO: a refusal that names our sender address or HELO name is about the relay's view of us
    /// (Postfix's default `smtpd_delay_reject` reports a refused sender or HELO name at RCPT TO), so it would hit
    /// every email alike: an outage, not a dead letter. Other refusals are permanent for this message, and carry the
    /// reply (unless it names the recipient) so that the outbox can tell a relay that refuses everyone.
    private func expectEnvelope(
        _ reply: SMTPReply, of message: EmailMessage, on connection: SMTPConnection, step: String
    ) throws(DeliveryFailure) {
        guard reply.category == 5 else { return try expect(2, reply, on: connection, step: step) }
        let text = reply.description.lowercased()
        let namesUs = text.contains(message.from.address.lowercased()) || text.contains(heloName.lowercased())
            || text.contains("sender address rejected") || text.contains("helo command rejected")
        if namesUs {
            throw .outage("SMTP server \(connection.endpoint) refused our sender or HELO name at \(step): \(reply); "
                + "this is a configuration problem (the relay's, or the `sender` / `helo-name` settings), not the email's")
        }
        let namesRecipient = text.contains(message.to.address.lowercased())
        throw DeliveryFailure(
            kind: .permanent, message: "SMTP server \(connection.endpoint) rejected \(step): \(reply)",
            refusal: namesRecipient ? nil : reply.description)
    }

    /// Maps a reply to success or to a failure of the right kind.
    private func expect(
        _ category: Int, _ reply: SMTPReply, on connection: SMTPConnection, step: String
    ) throws(DeliveryFailure) {
        guard reply.category != category else { return }
        switch reply.category {
        case 4:
            throw .temporary("SMTP server \(connection.endpoint) temporarily rejected \(step): \(reply)")
        case 5:
            throw .permanent("SMTP server \(connection.endpoint) rejected \(step): \(reply)")
        default:
            // E.g. 354 where 250 belongs: we no longer know where the server is in the dialogue.
            connection.abandon()
            throw .temporary("SMTP server \(connection.endpoint) answered \(step) with the unexpected reply \(reply)")
        }
    }

    /// The envelope addresses go into command lines: anything that could end or extend the line is refused here,
    /// even though the renderer checks the same addresses, because `deliver` may be given any message.
    private static func checkEnvelope(_ message: EmailMessage) throws(DeliveryFailure) {
        for (role, address) in [("sender", message.from.address), ("recipient", message.to.address)] {
            if let problem = AddressSyntax.problem(with: address) {
                throw .permanent("cannot send the email: the \(role) address \"\(address)\" \(problem)")
            }
        }
    }
}
