/// The one event of the settings stream: a key now has this value (its canonical text).
///
/// Storing the text rather than a typed value keeps the event readable in `events` and lets one event type cover
/// every key; `SettingValueParser` gives the text its meaning on replay.
public struct SettingChanged: Sendable, Equatable {
    public let key: SettingKey
    public let value: String

    public init(key: SettingKey, value: String) {
        self.key = key
        self.value = value
    }
}
