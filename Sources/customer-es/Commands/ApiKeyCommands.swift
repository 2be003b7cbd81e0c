import CustomerAggregate
import CustomerService

/// `api-key create|list|revoke`: keys for the admin API (`Authorization: Bearer KEY`). The key is printed once,
/// at creation; the store keeps only its digest.
enum ApiKeyCommands {
    static let create = CommandSpec(
        name: "api-key create",
        summary: "Create an API key for the admin API and print it once (only its digest is stored)",
        positionals: ["NAME"], options: [OperatorCommands.roleOption], readsOnly: false
    ) { invocation in
        let role = try AccessName.role(invocation.value("role") ?? AccessRole.agent.rawValue)
        let service = try invocation.openService()
        let (key, outcome) = try service.createApiKey(name: invocation.positionals[0], role: role, metadata: invocation.metadata)
        if invocation.global.json {
            Terminal.out(JSONValue.object([("message", .string(outcome.message)), ("key", .string(key))]).text)
        } else {
            Terminal.out(outcome.message)
            Terminal.out("Key (shown only now; send it as `Authorization: Bearer KEY`): \(key)")
        }
    }

    static let revoke = CommandSpec(
        name: "api-key revoke",
        summary: "Revoke an API key: requests with it get 401 from now on",
        positionals: ["NAME"], readsOnly: false
    ) { invocation in
        let service = try invocation.openService(readOnly: true, writes: true)
        OperatorCommands.printMessage(try service.revokeApiKey(name: invocation.positionals[0], metadata: invocation.metadata), invocation)
    }

    static let list = CommandSpec(
        name: "api-key list",
        summary: "List the API keys: role, state, who created and who revoked them (never the key)",
        readsOnly: true
    ) { invocation in
        let keys = try invocation.openService().apiKeys()
        if invocation.global.json {
            Terminal.out(JSONValue.object([("items", .array(keys.map { key in
                .object([
                    ("name", .string(key.name)), ("role", .string(key.role.rawValue)), ("active", .bool(key.isActive)),
                    ("createdAt", .date(key.createdAt)), ("createdBy", .string(key.createdBy)),
                    ("revokedAt", .date(key.revokedAt)), ("revokedBy", .string(key.revokedBy)),
                ])
            }))]).text)
            return
        }
        if keys.isEmpty { Terminal.out("No API keys.") }
        for key in keys {
            var line = "\(key.name)  \(key.role.rawValue)  \(key.isActive ? "active" : "revoked")"
                + "  created \(ISOTime.format(key.createdAt)) by \(key.createdBy.escapingControlCharacters)"
            if let at = key.revokedAt { line += "  revoked \(ISOTime.format(at)) by \((key.revokedBy ?? "").escapingControlCharacters)" }
            Terminal.out(line)
        }
    }
}
