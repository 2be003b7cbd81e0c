import Foundation

// The command line is thin glue: parse, call one application function, format the result.
exit(CommandLineTool(commands: CommandTable.all).run(RawArguments.decoded()))
