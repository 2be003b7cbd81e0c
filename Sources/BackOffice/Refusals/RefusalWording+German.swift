import CustomerAggregate

extension RefusalWording {
    static let german = RefusalWording(
        fieldLabels: [
            "email": "E-Mail", "salutation": "Anrede", "first-name": "Vorname", "last-name": "Nachname",
            "gender": "Geschlecht", "date-of-birth": "Geburtsdatum", "phone": "Telefon", "company": "Firma", "locale": "Sprache",
            "registered": "Registrierungsdatum", "created-at": "Erstellungszeit",
            "address1": "Adresszeile 1", "address2": "Adresszeile 2", "address3": "Adresszeile 3", "city": "Ort",
            "zip-code": "Postleitzahl", "country": "Land", "comment": "Kommentar",
            "reason": "Grund", "message": "Nachricht", "name": "Name", "role": "Rolle", "password": "Passwort",
            "customer": "Kunde", "key": "Einstellung", "request-id": "Anfrage-ID", "token": "Token",
            "address-id": "Adresse", "note-id": "Notiz",
        ],
        rules: [
            .required: { "\($0.label) ist erforderlich" },
            .tooLong: { p in "\(p.label) darf höchstens \(p["maximum"]) Zeichen lang sein" + (p["actual"].isEmpty ? "" : " (es sind \(p["actual"]))") },
            .tooShort: { "\($0.label) muss mindestens \($0["minimum"]) Zeichen lang sein (es sind \($0["actual"]))" },
            .tooManyBytes: { "\($0.label) darf in UTF-8 höchstens \($0["maximum"]) Bytes lang sein (RFC 5321; ein Nicht-ASCII-Zeichen braucht 2–4)" },
            .forbiddenCharacters: { "\($0.label) darf keines der Zeichen \($0["characters"]) enthalten" },
            .controlCharacters: { "\($0.label) darf keine Steuerzeichen (wie Zeilenumbrüche oder Tabulatoren) enthalten" },
            .controlCharactersBesideLineBreaks: { "\($0.label) darf außer Zeilenumbrüchen und Tabulatoren keine Steuerzeichen enthalten" },
            .notPrintable: { "\($0.label) muss druckbarer Text sein (ohne Steuer- oder Formatierungszeichen)" },
            .invalidEmail: { "\($0.label) ist keine gültige Adresse" },
            .alreadyUsed: { "\($0.label) wird bereits verwendet" },
            .notOneOf: { "\($0.label) muss eines von \($0["allowed"]) sein" },
            .invalidDate: { "\($0.label) muss ein echtes Datum in der Form JJJJ-MM-TT sein" },
            .inFuture: { "\($0.label) darf nicht in der Zukunft liegen" },
            .beforeEarliest: { "\($0.label) darf nicht vor dem \($0["earliest"]) liegen" },
            .afterRegistration: { "\($0.label) darf nicht nach der Registrierung liegen" },
            .phoneCharacters: { "\($0.label) darf nur Ziffern, Leerzeichen und \($0["allowed"]) enthalten" },
            .tooFewDigits: { "\($0.label) muss mindestens \($0["minimum"]) Ziffern enthalten" },
            .invalidCountry: { "\($0.label) muss ein ISO-3166-1-Alpha-2-Code wie DE, AT oder US sein (\($0["value"]) ist keiner)" },
            .unknownItem: { p in "\(p.label) \(p["id"]) gibt es nicht" + (p["known"].isEmpty ? "" : "; vorhanden: \(p["known"])") },
            .reasonNotRecorded: { _ in "Ein Grund wird nur bei einer Änderung ohne Bestätigung festgehalten" },
            .caseOnlyChange: {
                "\($0.label) unterscheidet sich von der aktuellen Adresse nur in der Groß- und Kleinschreibung; "
                    + "eine solche Korrektur geschieht ohne Bestätigung, mit einem Grund"
            },
            .containsNUL: { "\($0.label) darf kein NUL-Zeichen enthalten" },
            .containsPersonalData: { p in
                let part = ["emailLocalPart": "den Teil der E-Mail-Adresse vor dem @", "firstName": "den Vornamen",
                            "lastName": "den Nachnamen", "operatorName": "den Namen des Bearbeiters"][p["part"]] ?? p["part"]
                return "\(p.label) darf \(part) nicht enthalten"
            },
            .commonPassword: { "\($0.label) gehört zu den häufigsten Passwörtern; wähle eines, das schwerer zu erraten ist" },
            .invalidAccessName: {
                "\($0.label) muss aus 1–\($0["maximum"]) ASCII-Buchstaben, Ziffern, „.“, „_“ oder „-“ bestehen und mit einem Buchstaben oder einer Ziffer beginnen"
            },
            .unknownRole: { "\($0.label) muss eine von \($0["allowed"]) sein" },
            .nameTakenByOperator: { "\($0.label) wird bereits von einem Bearbeiter verwendet (Namen werden nie wiederverwendet)" },
            .nameTakenByAPIKey: { "\($0.label) wird bereits von einem API-Schlüssel verwendet (Namen werden nie wiederverwendet)" },
            .unknownOperator: { _ in "Es gibt keinen Bearbeiter mit diesem Namen" },
            .disabledOperator: { _ in "Der Bearbeiter ist deaktiviert" },
            .unknownAPIKey: { _ in "Es gibt keinen aktiven API-Schlüssel mit diesem Namen" },
            .unknownSetting: { "Die Einstellung „\($0["value"])“ gibt es nicht; die Einstellungen sind: \($0["known"])" },
            .invalidSettingValue: { p in
                let expected: String = SettingKey(rawValue: p["key"]).map { key in ": erwartet wird \(germanForm(of: key))" } ?? ""
                return "„\(p["value"])“ ist kein gültiger Wert für \(p["key"])" + expected
            },
            .localesWithoutDefault: { "Die Sprachen müssen die Standardsprache \($0["default"]) enthalten; ändere zuerst default-locale" },
            .localeNotOffered: { "\($0.label) muss eine der Sprachen des Shops sein: \($0["allowed"])" },
            .unknownCustomer: { "Kein Kunde hat die Referenz oder E-Mail \($0["value"])" },
            .unknownEmail: { "Keine E-Mail im Postausgang hat die ID \($0["id"])" },
            .emailNotDead: { p in
                let state = ["pending": "wartend", "sent": "gesendet", "failed": "fehlgeschlagen", "dead": "unzustellbar"][p["state"]] ?? p["state"]
                return "Die E-Mail \(p["id"]) ist \(state); nur unzustellbare E-Mails lassen sich erneut versuchen"
            },
            .notSentOnPurpose: { "Die E-Mail \($0["id"]) wurde absichtlich nicht gesendet (\($0["reason"])); ein neuer Versuch hilft nicht" },
            .unknownToken: { _ in "Dieser Link ist unbekannt" },
            .passwordTokenGiven: { _ in "Das ist ein Link zum Setzen des Passworts, kein Bestätigungslink" },
            .invalidRequestId: { "Die Anfrage-ID muss 1–\($0["maximum"]) Zeichen lang sein" },
            .requestIdReused: { _ in "Dieses Formular wurde schon mit anderen Angaben gesendet; öffne es erneut" },
            .passwordTooManyBytes: { "\($0.label) darf in UTF-8 höchstens \($0["maximum"]) Bytes lang sein" },
        ],
        codes: [
            .validationFailed: "Die Angaben sind ungültig.",
            .emailAlreadyUsed: "Diese E-Mail-Adresse verwendet bereits ein anderer Kunde.",
            .customerAlreadyExists: "Diesen Kunden gibt es bereits.",
            .customerNotFound: "Diesen Kunden gibt es nicht.",
            .alreadyVerified: "Der Kunde ist bereits bestätigt.",
            .notUnverified: "Der Kunde ist bereits bestätigt; eine Bestätigungs-E-Mail ist nicht mehr nötig.",
            .tokenUnknown: "Dieser Link ist unbekannt.",
            .tokenUsed: "Dieser Link wurde bereits verwendet.",
            .tokenExpired: "Dieser Link ist abgelaufen.",
            .tokenSuperseded: "Dieser Link wurde durch einen neueren ersetzt.",
            .wrongTokenKind: "Dieser Link ist für etwas anderes bestimmt.",
            .invalidSetting: "Diese Einstellung ist ungültig.",
            .invalidCommand: "Der Befehl war unvollständig (ein Fehler der Anwendung); nichts wurde gespeichert.",
            .customerNotYetCreated: "Zu diesem Zeitpunkt gab es den Kunden noch nicht.",
            .customerErased: "Die persönlichen Daten dieses Kunden wurden gelöscht; für ihn lässt sich nichts mehr tun.",
            .storeNotMigrated: "Der Datenbestand hat noch ein älteres Format; er muss zuerst migriert werden.",
            .concurrentChange: "Jemand anderes hat das gerade geändert; bitte versuche es erneut.",
            .invalidFile: "Die Datei lässt sich nicht als Text lesen.",
            .rowsRejected: "Einige Zeilen wurden abgelehnt; die übrigen wurden übernommen.",
            .projectionsDiffer: "Die Projektionen weichen von einer frischen Wiedergabe des Logs ab; sie müssen neu aufgebaut werden.",
            .accessNameTaken: "Dieser Name ist bereits vergeben (Namen werden nie wiederverwendet).",
            .operatorNotFound: "Es gibt keinen Bearbeiter mit diesem Namen.",
            .operatorDisabled: "Dieser Bearbeiter ist deaktiviert.",
            .apiKeyNotFound: "Es gibt keinen aktiven API-Schlüssel mit diesem Namen.",
            .forbidden: "Deine Rolle erlaubt das nicht.",
            .addressNotFound: "Diese Adresse gibt es nicht.",
            .noteNotFound: "Diese Notiz gibt es nicht.",
            .noteAlreadyWithdrawn: "Diese Notiz wurde bereits zurückgezogen.",
            .passwordPolicy: "Das Passwort erfüllt die Passwortregeln nicht.",
            .authenticationFailed: "Der Name oder das Passwort ist nicht richtig.",
            .accountLocked: "Nach wiederholt falschen Passwörtern ist das Konto vorübergehend gesperrt; versuche es später erneut.",
            .notVerified: "Die E-Mail-Adresse ist noch nicht bestätigt.",
            .emailNotFound: "Diese E-Mail gibt es im Postausgang nicht.",
            .emailNotRetryable: "Diese E-Mail lässt sich nicht erneut versuchen.",
            .requestIdReused: "Dieses Formular wurde schon mit anderen Angaben gesendet; öffne es erneut.",
        ],
        listCursor: [
            .malformedCursor: "Dieser Seitenlink ist ungültig oder veraltet; hier ist die erste Seite.",
            .cursorMismatch: "Dieser Seitenlink gehört zu einer anders sortierten oder gefilterten Liste; hier ist die erste Seite.",
            .forgedCursor: "Dieser Seitenlink wurde verändert oder stammt von einem anderen Shop; hier ist die erste Seite.",
            .invalidLimit: "Diese Seitengröße ist nicht erlaubt; hier ist die erste Seite.",
        ],
        logCursor: [
            .notACursor: "Dieser Seitenlink ist ungültig (vielleicht abgeschnitten); hier ist die neueste Seite.",
            .forged: "Dieser Seitenlink wurde verändert oder stammt von einem anderen Shop; hier ist die neueste Seite.",
            .otherFilter: "Dieser Seitenlink gehört zu einem anderen Filter; hier ist die neueste Seite dieses Filters.",
        ]
    )

    /// What a setting's value must look like, as `SettingKey.expectedForm` says it in English.
    static func germanForm(of key: SettingKey) -> String {
        switch key {
        case .referencePrefix: return "1–20 Buchstaben, Ziffern oder _ (z. B. DE)"
        case .locales: return "eine durch Kommas getrennte Liste von Sprachen in der Form ll_CC (z. B. en_US,de_DE)"
        case .defaultLocale: return "eine Sprache in der Form ll_CC, die eine der Sprachen des Shops ist (z. B. en_US)"
        case .baseURL: return "eine absolute http(s)-URL ohne Query oder Fragment (z. B. https://shop.example.com)"
        case .sender: return "ein Absender in der Form Name <Adresse> (z. B. Shop <no-reply@example.com>)"
        case .verificationTokenTTL, .passwordTokenTTL:
            return "eine Dauer wie 90s, 15m, 2h oder 7d (höchstens \(StoreSettings.maximumDurationDays)d)"
        case .deliveryMaxAttempts:
            return "eine ganze Zahl von Zustellversuchen von 1 bis \(StoreSettings.maximumDeliveryAttempts) (z. B. 31)"
        case .deliveryBackoff:
            return "ERSTE,MAX: die Wartezeit nach dem ersten fehlgeschlagenen Versuch, nach jedem weiteren verdoppelt bis MAX (z. B. 30s,1h)"
        case .deliveryLease:
            return "wie lange ein Versender die E-Mails hält, die er sendet, eine Dauer von 1s bis 1d (z. B. 60s)"
        case .heloName:
            return "auto (der voll qualifizierte Name dieses Rechners) oder ein Hostname wie mail.example.com"
        case .signInRequiresVerified:
            return "true (nur Kunden mit bestätigter E-Mail-Adresse können sich anmelden) oder false"
        case .signInMaxFailures:
            return "die falschen Passwörter in Folge, die das Konto sperren, eine ganze Zahl von 1 bis \(StoreSettings.maximumSignInFailures) (z. B. 5)"
        case .signInLock:
            return "ERSTE,MAX: wie lange die erste Sperre dauert, für jede weitere verdoppelt bis MAX (z. B. 1m,15m)"
        }
    }
}
