/// The one-line confirmation a page shows after a form post redirected to it (`?done=created`). A fixed list,
/// so that a link cannot make a page say something of its choosing.
public enum Flash: String, Sendable, CaseIterable {
    case created
    case updated
    case emailChange = "email-change"
    case addressAdded = "address-added"
    case noteAdded = "note-added"
    case verificationQueued = "verification-queued"
    case passwordTokenQueued = "password-token-queued"
    case forgotten
    case retried
    case settingChanged = "setting-changed"
    case nothingChanged = "nothing-changed"
    case operatorAdded = "operator-added"
    case operatorDisabled = "operator-disabled"
}
