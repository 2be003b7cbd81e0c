import Foundation

/// A store written by customer-es before personal data was sealed (format 1): `data.mdb` and `token.key` as a
/// gzipped tar, base64. Made with the previous main binary:
///
///     create --email legacy.ann@example.com --salutation Ms --first-name Annlegacy --last-name Oldformat
///            --phone '+49 555 0101' --company Legacyco --date-of-birth 1970-01-02 --actor alice
///     edit DE--1 --last-name Newerformat --actor bob
///     create --email legacy.ben@example.com --salutation Mr --first-name Benlegacy --last-name Keeper --actor alice
///     backup DIR          (a compacted copy: 80 KiB, 4 KiB here)
enum FormatOneStoreFixture {
    static let base64 = [
        "H4sIAAAAAAAAA+3dfYwU5R0H8OeZ2dv33TnezoqUbgRpA+6ye3e7gLGEdxtEaVGJIaid3X0WltvdOWfnjjuaGL0SSkijlvhWS4ghSKpSX/ClrbVi",
        "TiXaP2xDjTFoKFDQtDG2UmKb1mj3bZ7ZneeOW+6gJ/X7Cdnh7vc8v3meZ2d275mdnUmrhhrJp5PkAoqWJKLRyjJqX7Z3Vv4fi3dEOxKJefF5nSQa",
        "i8XicRKKXshGmXqKhqqHQkTXNONs5UaKX/Tclcejr/ztZdoYWFR5bDVLnN0XNc2u1SxPRy4KAAAAAAAAAKNkzbsvxPzfymSf38+qLSfZljgOAAAA",
        "AAAAAHD+SXX/ayN7laPKXmVQGccGAQAAAAAAAHxFVT93D5BUT9HQ8kwP57JF87sILbWon7C8ms2FtR4jqfWZwWpsolUzndVZytD0frOEzNcilcp9",
        "oHyAuT8AAAAAAADARap6HMBLbir0Mj2bybJ0LSA5eBmJ7CbrXCeU15R9ynblpG+Tcsi3Svm5b5svorQqfw8eDm70PRd8INgXXBe8OrjCN9Mn+aYH",
        "I4GTXhIc9O7xDnhPBJLeJd6QV/Ie8wx69nq2eTZ6WgOn/Ss8b/tnepyek+5B9yPuF/x3uNe7H/Jf7X4tsC+wPTDVvcX/meuI6yXXev9Cf8gv+R92",
        "9bk2Bda5VgXGYagAAADGxFt59JH+iHlxJYf55TbHGhI0o9T8JTVPxXNspfJWSs0SfWpeKDFI5UHK16DzHNYa1vI1dOeYUP80lU9b9buZLtRP8Ppa",
        "XmzhoCSX/vlrJQpDrGGmPJP3oLBIjO+k8k6rj/nunFDiBJVPUImXGGKcDkvyYSmu1Erk2AahhBx3y3JnkJeICCUGJHlA4iPRxcyWWiPhJOYaNqgp",
        "of6Mm74lz7jRXAPrU4USB6h8wBprpovP1Qor2i2uf5YVLeSE6OTS783oIiE6QM22sw1iyyYt/5o8aRnPzrqF+m18K2ARse87JXmntRWwcFgo0Sq3",
        "8niaiXEiEx5P9YvPzhJ5SV1c3AIM2eBbSEoT95MDknxAcpgjlGQFoYdFh1lfzXcL9Q9T+TBl5hiqqX6hRAebL3ekzRyLWJ9QYg+V91jPf/sQ++oi",
        "PsqRlCbWl+Q91hYaSYpbSJJHw+1i9qgVDbcL0RCPbuavAtauNotvXYb1S/6ffZS/AuVVIdprvT5lNCFqbfOanheiGR4tsM1C1MlblVcNIbqNtyqj",
        "iT1aa+1Nm5kQbavbTzNCNMHXqxriaDzA19ufEvt7c937gThWa6zRGGKc+6zR4K8AVtR6BSjwVwArOsBblepPCdHv8MwpTVzvRqu/hYIQLTrMugtC",
        "cSE6m2eOx8XoyrpoSIius6L8GoBWdBOPdi4Q607lbY5FY0L0YWq+msSGGOfFL1JeOxoT17yDWlGx9uN8pCOqOFp1++gQdev3UbHV1j46p3OBEPXy",
        "aGiIkb7Kig4xHltICzFJJEROB48qNyrPKbOVBxS/cjrYi7MBAAAAAAAA4KI2kThoF2PWoe/y0ciKKUSmSVbIsQ3W8T4eJJcTiVZDkVKhRaxPzXfn",
        "WMQ6+MiLTi3Ns+90qrtWnNq+uxaRGktcUmpDgW1mekbTrSNZ1jXwyi1RC/aWmNG6lpQKDdkSamvJyRdetyWhTl5YIpPJNOUOZRrm/AAAAAAAAPCV",
        "sqbyyK9676DO9uTcffdfs/onnzx/z/ptf/2ztGy51Db00QDqWWIeQ3Bey48ztLDCbTfdQF/as//j7R8+7SS3N66B0kLroem/cC6+4smP73riqfY5",
        "00proG1Dz/Jlz2Lz2IDv+rqjCPSAQiXqn9O5IBSPx0PRWDRG3asq5VJarQE73nu02gDi4r0tf///iHIEs38AAAAAAACAi0j1qMIUklOLRlhnGaaz",
        "QoqFCz35JD/pQaq7p1/58/+9ymFlL44AAAAAAAAAAIyD1spjGxn6TAP7SQm20razBuwnGHj4Wsrz/9eU8vX/xqWTAAAAAAAAAHBW1Rl/C1m2PBxu",
        "tx8OaIjG7NP/2tUBy8rz//3KO8p+zP8BAAAAAAAAxtGEymMrObpm/rz0x4/8Mb380+C3r/v8LvuUn/KSP/j+jlXyeteDjgVz72yfdHerffpv3u+g",
        "TCJTyfV+r5IMvhX41H+9f1y6CAAAAAAAF40HK4/8O8Ut9PSh2/Ov/2HpvPsWTtj9vV/OaJXMS5/RKWsrdyJPqUZWK6xht/ewosHS4VRP0dDyTA9H",
        "Ex3tifb2TFhNLIiHO+d1ZsILYplYOBmfn4mn5ieYyjpa1Fw2xejMb+6a++SWxa/e65pzWe/BK86QS+0zpJf2vPnZnh3POCl16JpmkDca2+mg6zM3",
        "Hv9TZPV/9q84drnjnkl/4Zdoo8rSWouW6kw9by387nm6lBxvZrVjP2zsl0yvveXUdZGnVkx/9Eddv9/54Jsn5TMHH6tWCJr9Wp7ONnQrwWLRVCLG",
        "wmo6mgh3xtrjYZUxFp4fU5NqpqO9PRlLyUktSXcfeWv5b7qWfv785GfWTvcel0mQyvVXoquNtW2bkOixkz/78LHDKz95YtXdH1z2lP5Tybwa3Yjb",
        "RDNNq414QFv57KsTrlm47Vf/onMltpVcap8L73hvsH6byJ5qbCelmYPPXmXcsvIfz2y9/+iVq294l1817yzbxFhaKJyb39zF/zyrc+nmL/3H+1Dt",
        "NbWm+eXP/19RTiivKMu8O63TAgAAAAAAAABg3FWPV0wkBdZnhIuGztR84yX+5GqJIKkeIwj3Mr2Y1Qq1KA3wTOX5/33KfcrvcP4/AAAAAAAAwP/A",
        "1yuPrcR+jkhL5Qv+w5wlwmvZzyKo1IoNcx4BCfK1luf/TyvvKk9j/g8AAAAAAADwpRAixKnuWnFq++7aL1rsX7RpKHfyhddr5ST7ly+syX55/u9Q",
        "BhQH5v8AAAAAAADwfylTeWwl9jm0cPUKek6fyA93EQrzmg0ttGHt9pm5cJ0Eek6f7A93uQPzAgASra3XJJGJ5H3lfcz+AQAAAAAAAC4q1W/+T659",
        "838uv0hhLls0akWkCby0RNrI9sr5/9txDAAAAAAAAADggmiteyTlyXjj0mH+bCtHa0vZtqTDlJPsP0/kLSif/28ohvIiZv8AAAAAAAAA50F1Vh4m",
        "53QnyVpd68CAkKWZew/WaluHDSbxVklkPfnI8e/gIVf5/n/HvBHfp55Dvon+W/2P+7f4Hgpsc/YGz/jfblkWmO3sc80OznKdCLzrHFReDh51f+SY",
        "5bm6ZaNnW8vN7ic9Xvdu90JlAMcRAOBLI0rKr3KXEK3HSGp9EfOFsxgpblTT2uZm03xRU8s3wcyX7mFjyzTFzMQKhp5lY2zXdJLO6ixlaHp/hOXV",
        "bC7czQrpbGHDKNNWs84QsuqsyPTeyi17x9jiS+typ7SegjHm56atLqOhdbHCmPo+tS6bzjJMZ4XUaJ9ysX2V0RxTNh9J6Sxd2niyaq54rin4iPGe",
        "NTyzo2tRwNyic0wtstG2yV1qU+Ve0KNsRauwx1dLUV6e2uqbf2WZd0eq5vHW7enNZjCvr1zNELTt4c1mMf+UMvvTrWubSptN6YkJFw3VGLE15s/m",
        "50Hmc91wSmgkGSkn6xnlKIvZKvvwKLNNEbJt0NX8aLcgMZump/ktss4122Qhm65tHmU/7bnG8gzYc9WP/8jbhvnRYTXXJFuuutEfPtU1taX5aeUw",
        "uerGfvhc5o3YWxpzTbTlskZ+5L3I2ZDpkuHeH0mTbFvFtLO+M55rUrO34jviSL01f3Y19FaxvxOOlMYcNH4nePO5HOI9sNlcnsZcin3Ems1jbhu1",
        "PA6SZ4babGXzjvf8PXMjS3V1a9kmdhVzFzFT1XL4SfXGe7dlC2nW12wS88z7ag5XLUfTGzP/4L5a30lYL2uiC+bu5Kstq38VdbF+cuFESxLRaGUZ",
        "FZfRaGeUxOId0Y5EYl58XieJxmKdsSgJRS9gm7jSq4mqh0JE1zTjbOVGil+k5txwfPYjA7cePP7bQ3c+/89n3/jxpi1T33Ge6TJ2fWMvNX595Xi3",
        "DwAAAAAAAAAAAAAAAAAAAAAAhvdfnydnGABoAQA=",
    ].joined()

    /// Unpacks the store into `folder` (created 0700, files 0600).
    static func unpack(into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let archive = folder.deletingLastPathComponent().appendingPathComponent("format-1.tgz")
        try Data(base64Encoded: base64)!.write(to: archive)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "xzf", archive.path, "-C", folder.path]
        try tar.run()
        tar.waitUntilExit()
        precondition(tar.terminationStatus == 0, "tar failed")
        for name in ["data.mdb", "token.key"] { chmod(folder.appendingPathComponent(name).path, 0o600) }
    }
}
