import Projections

// The read-model values that the application's queries return, re-exported under the application module so that
// a front end (the CLI, a server) imports only CustomerService and CustomerAggregate. They are plain values: a
// front end prints them, it never reaches the store through them.

public typealias CustomerListQuery = Projections.CustomerListQuery
public typealias CustomerListSort = Projections.CustomerListSort
public typealias CustomerListPage = Projections.CustomerListPage
public typealias CustomerListError = Projections.CustomerListError
public typealias CustomerRow = Projections.CustomerRow
public typealias HistoryEntry = Projections.HistoryEntry
public typealias FieldChange = Projections.FieldChange
public typealias StatusChange = Projections.StatusChange
public typealias OutboxEntry = Projections.OutboxEntry
public typealias RebuildProgress = Projections.RebuildProgress
public typealias RebuildReport = Projections.RebuildReport
public typealias VerifyReport = Projections.VerifyReport
public typealias ProjectionDifference = Projections.ProjectionDifference
