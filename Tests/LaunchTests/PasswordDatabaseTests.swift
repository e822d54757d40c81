import Launch
import Testing

/// `run --user`'s lookups, through getent (the static mptcpctl has no NSS modules).
struct PasswordDatabaseTests {
    @Test func usersAreFoundByNameAndNumberWithTheirGroups() throws {
        let root = try #require(try PasswordDatabase.account("root"))
        #expect(root.uid == 0 && root.gid == 0 && root.name == "root" && root.groups.first == 0)
        #expect(try PasswordDatabase.account("0") == root)
        let nobody = try #require(try PasswordDatabase.account("nobody"))
        #expect(nobody.uid == 65534 && nobody.home == "/nonexistent" && nobody.groups == [nobody.gid])
        #expect(try PasswordDatabase.account("no-such-user-\(UInt32.random(in: 0...UInt32.max))") == nil)
        // An option-like name is a key, not an option of getent.
        #expect(try PasswordDatabase.account("--help") == nil)
    }
}
