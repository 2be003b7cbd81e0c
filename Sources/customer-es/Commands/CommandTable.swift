/// Every command of the tool, in the order `--help` lists them.
enum CommandTable {
    static let all: [CommandSpec] = [
        CreateCommand.spec,
        EditCommand.spec,
        CustomerTokenCommands.sendPasswordToken,
        CustomerTokenCommands.verifyEmail,
        CustomerTokenCommands.resendVerification,
        AuthenticateCommand.setPassword,
        AuthenticateCommand.spec,
        ShowCommand.spec,
        ListCommand.spec,
        HistoryAndAuditCommands.history,
        HistoryAndAuditCommands.audit,
        SettingsCommand.spec,
        OutboxCommands.list,
        OutboxCommands.dispatch,
        OutboxCommands.retry,
        EventsCommand.spec,
        RebuildCommand.spec,
        ImportCommand.spec,
        BackupCommand.spec,
        ErasureCommands.forget,
        ErasureCommands.compact,
        ErasureCommands.migrate,
        ServeCommand.spec,
    ]
}
