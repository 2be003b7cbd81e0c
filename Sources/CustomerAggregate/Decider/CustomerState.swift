import Foundation

/// One customer as its events have left it; the `initialState` is "no such customer".
///
/// The customer's data fields are optional because they are absent before `CustomerCreated`; `exists` is the
/// one flag to test. Superseded token ids are kept so that an old link gets "replaced by a newer one" instead of
/// "unknown".
public struct CustomerState: Sendable, Equatable {
    public var customerId: CustomerID?
    public var reference: CustomerReference?
    public var profile: CustomerProfile?
    public var origin: CustomerOrigin?
    public var status: CustomerStatus
    public var createdAt: Date?
    public var verifiedAt: Date?
    /// The latest verification token, if one was ever issued.
    public var verificationToken: IssuedToken?
    public var supersededVerificationTokenIds: Set<UUID>
    /// The latest password-set token, if one was ever issued.
    public var passwordToken: IssuedToken?
    public var supersededPasswordTokenIds: Set<UUID>
    /// Set once a password was set (by link or import).
    public var password: PasswordRecord?
    public var signIn: SignInRecord
    /// When the personal data was erased (`CustomerForgotten`); the profile is blank from then on.
    public var erasedAt: Date? = nil
    /// Whether the personal data is gone: after `CustomerForgotten`, and in a replay up to an earlier instant of
    /// a customer erased since (its events read blank). Views say "erased customer DE--7" then.
    public var personalDataErased = false
    /// The live addresses and the defaults (`address add/edit/remove`).
    public var addressBook = AddressBook()
    /// Every note ever added, withdrawn ones included, in order of creation.
    public var notes: [CustomerNote] = []
    /// The latest email change asked for (pending until its token is used; see `pendingEmail(at:)`).
    public var emailChange: EmailChangeRequest?
    public var supersededEmailChangeTokenIds: Set<UUID>

    public init(
        customerId: CustomerID? = nil,
        reference: CustomerReference? = nil,
        profile: CustomerProfile? = nil,
        origin: CustomerOrigin? = nil,
        status: CustomerStatus = .unverified,
        createdAt: Date? = nil,
        verifiedAt: Date? = nil,
        verificationToken: IssuedToken? = nil,
        supersededVerificationTokenIds: Set<UUID> = [],
        passwordToken: IssuedToken? = nil,
        supersededPasswordTokenIds: Set<UUID> = [],
        password: PasswordRecord? = nil,
        signIn: SignInRecord = SignInRecord(),
        emailChange: EmailChangeRequest? = nil,
        supersededEmailChangeTokenIds: Set<UUID> = []
    ) {
        self.customerId = customerId
        self.reference = reference
        self.profile = profile
        self.origin = origin
        self.status = status
        self.createdAt = createdAt
        self.verifiedAt = verifiedAt
        self.verificationToken = verificationToken
        self.supersededVerificationTokenIds = supersededVerificationTokenIds
        self.passwordToken = passwordToken
        self.supersededPasswordTokenIds = supersededPasswordTokenIds
        self.password = password
        self.signIn = signIn
        self.emailChange = emailChange
        self.supersededEmailChangeTokenIds = supersededEmailChangeTokenIds
    }

    /// True once `CustomerCreated` has been applied.
    public var exists: Bool { customerId != nil }

    /// The reference for messages ("Customer DE--3 …"), or a neutral word before creation.
    var displayName: String { reference.map { "Customer \($0)" } ?? "The customer" }
}
