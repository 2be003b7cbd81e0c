/// Every command of the tool, in the order `--help` lists them.
enum CommandTable {
    static let all: [CommandSpec] = [
        CreateCommand.spec,
        CustomerTokenCommands.sendPasswordToken,
        CustomerTokenCommands.verifyEmail,
        CustomerTokenCommands.resendVerification,
        ShowCommand.spec,
        SettingsCommand.spec,
        OutboxCommands.list,
        OutboxCommands.dispatch,
        EventsCommand.spec,
        ImportCommand.spec,
        BackupCommand.spec,
    ]
}
