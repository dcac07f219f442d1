package dev.ebb.sandbox.salesforce;

/**
 * The standard objects the sandbox org starts with, with the fields a data sync usually maps (the Salesforce Object
 * Reference, https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/, "Contact" and
 * "Account"; lengths and required fields as there). Stateless.
 */
final class StandardObjects {
    private StandardObjects() {
    }

    static SObjectType contact() {
        SObjectType type = new SObjectType("Contact", "Contact", "Contacts", "003", false);
        type.addField(SalesforceField.bool("IsDeleted").labelled("Deleted").readOnly());
        type.addField(SalesforceField.reference("AccountId", "Account").labelled("Account ID"));
        type.addField(SalesforceField.text("LastName", 80).labelled("Last Name").required());
        type.addField(SalesforceField.text("FirstName", 40).labelled("First Name"));
        type.addField(SalesforceField.picklist("Salutation", "Mr.", "Ms.", "Mrs.", "Dr.", "Prof.").labelled("Salutation"));
        type.addField(SalesforceField.text("Name", 121).labelled("Full Name").readOnly().defaulted());
        type.addField(SalesforceField.email("Email").labelled("Email").idLookup());
        type.addField(SalesforceField.phone("Phone").labelled("Business Phone"));
        type.addField(SalesforceField.phone("MobilePhone").labelled("Mobile Phone"));
        type.addField(SalesforceField.text("Title", 128).labelled("Title"));
        type.addField(SalesforceField.text("Department", 80).labelled("Department"));
        type.addField(SalesforceField.picklist("LeadSource", "Web", "Phone Inquiry", "Partner Referral",
                "Purchased List", "Other").labelled("Lead Source"));
        type.addField(SalesforceField.date("Birthdate").labelled("Birthdate"));
        type.addField(SalesforceField.textarea("Description", 32_000).labelled("Contact Description"));
        type.addField(SalesforceField.bool("HasOptedOutOfEmail").labelled("Email Opt Out"));
        type.addField(SalesforceField.bool("DoNotCall").labelled("Do Not Call"));
        type.addField(SalesforceField.text("MailingCity", 40).labelled("Mailing City"));
        type.addField(SalesforceField.text("MailingCountry", 80).labelled("Mailing Country"));
        type.addField(SalesforceField.reference("OwnerId", "User").labelled("Owner ID").defaulted());
        Org.systemDates(type);
        return type;
    }

    static SObjectType account() {
        SObjectType type = new SObjectType("Account", "Account", "Accounts", "001", false);
        type.addField(SalesforceField.bool("IsDeleted").labelled("Deleted").readOnly());
        type.addField(SalesforceField.text("Name", 255).labelled("Account Name").required().idLookup());
        type.addField(SalesforceField.picklist("Type", "Prospect", "Customer - Direct", "Customer - Channel",
                "Channel Partner / Reseller", "Installation Partner", "Technology Partner", "Other").labelled("Account Type"));
        type.addField(SalesforceField.picklist("Industry", "Agriculture", "Banking", "Education", "Healthcare",
                "Manufacturing", "Retail", "Technology", "Other").labelled("Industry"));
        type.addField(SalesforceField.text("AccountNumber", 40).labelled("Account Number"));
        type.addField(SalesforceField.phone("Phone").labelled("Account Phone"));
        type.addField(SalesforceField.url("Website").labelled("Website"));
        type.addField(SalesforceField.currency("AnnualRevenue", 18, 0).labelled("Annual Revenue"));
        type.addField(SalesforceField.integer("NumberOfEmployees", 8).labelled("Employees"));
        type.addField(SalesforceField.text("BillingCity", 40).labelled("Billing City"));
        type.addField(SalesforceField.text("BillingCountry", 80).labelled("Billing Country"));
        type.addField(SalesforceField.textarea("Description", 32_000).labelled("Account Description"));
        type.addField(SalesforceField.reference("OwnerId", "User").labelled("Owner ID").defaulted());
        Org.systemDates(type);
        return type;
    }
}
