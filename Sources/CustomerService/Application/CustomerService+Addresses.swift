import CustomerAggregate
import Foundation

extension CustomerService {
    /// `address add CUSTOMER …`: the new address gets the customer's next id (`A1`, `A2`, …).
    public func addAddress(_ customer: String, _ command: AddAddress, metadata: CommandMetadata) throws -> CommandOutcome {
        let fingerprint = ["address add", customer, "\(command.defaultBilling)", "\(command.defaultShipping)"]
            + command.values.inFormOrder.flatMap { [$0.field.rawValue, $0.value] }
        return try decideOnLatestState(customer, .addAddress(command), fingerprint: fingerprint, metadata: metadata) { event in
            guard case .address(let address) = event else { return "Address was added." }
            return "Address \(address.addressId) was added."
        }
    }

    /// `address edit CUSTOMER ADDRESS-ID …`: only the given fields change; nothing changed writes nothing.
    public func editAddress(_ customer: String, _ command: EditAddress, metadata: CommandMetadata) throws -> CommandOutcome {
        let fingerprint = ["address edit", customer, command.addressId, "\(String(describing: command.defaultBilling))",
                           "\(String(describing: command.defaultShipping))"]
            + command.values.inFormOrder.flatMap { [$0.field.rawValue, $0.value] }
        return try decideOnLatestState(customer, .editAddress(command), fingerprint: fingerprint, metadata: metadata) { event in
            guard case .address(let address) = event else { return "Address was updated." }
            return "Address \(address.addressId) was updated."
        }
    }

    /// `address remove CUSTOMER ADDRESS-ID`: a default it was is cleared; its id is never given again.
    public func removeAddress(_ customer: String, addressId: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try decideOnLatestState(customer, .removeAddress(addressId: addressId), fingerprint: ["address remove", customer, addressId],
                                metadata: metadata) { event in
            guard case .address(let address) = event else { return "Address was removed." }
            return "Address \(address.addressId) was removed."
        }
    }

    /// `address list CUSTOMER`: the live addresses in order of creation, each as shown (id, fields, defaults).
    public func addresses(of customer: String) throws -> [[CustomerFieldValue]] {
        let (_, state, _) = try self.customer(customer)
        return state.addressBook.shownAddresses
    }
}
