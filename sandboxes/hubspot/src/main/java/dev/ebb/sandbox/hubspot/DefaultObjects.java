package dev.ebb.sandbox.hubspot;

import java.util.List;

/**
 * The object types every portal has, with a subset of HubSpot's default properties
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/properties/guide): contacts, whose email is the
 * unique property, and companies, which have none besides the record id. Stateless.
 */
final class DefaultObjects {
    private DefaultObjects() {
    }

    // HubSpot's default contact properties (a subset): email is the unique one; hs_object_id, createdate and
    // lastmodifieddate are set by HubSpot.
    static ObjectType contacts() {
        ObjectType type = new ObjectType("0-1", "contacts", "contacts", "Contact", "createdate", "lastmodifieddate",
                List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"));
        String group = "contactinformation";
        type.addProperty(HubSpotProperty.of("email", "string").labelled("Email").unique().hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("firstname", "string").labelled("First Name").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("lastname", "string").labelled("Last Name").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("phone", "string").labelled("Phone Number").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("mobilephone", "string").labelled("Mobile Phone Number").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("company", "string").labelled("Company Name").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("jobtitle", "string").labelled("Job Title").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("website", "string").labelled("Website URL").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("city", "string").labelled("City").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("country", "string").labelled("Country/Region").hubspotDefined(group));
        type.addProperty(new HubSpotProperty("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", group,
                false, false, true, lifecycleStages()));
        type.addProperty(HubSpotProperty.of("hs_object_id", "number").labelled("Record ID").readOnly().hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("createdate", "datetime").labelled("Create Date").readOnly().hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("lastmodifieddate", "datetime").labelled("Last Modified Date").readOnly()
                .hubspotDefined(group));
        return type;
    }

    // Companies have no unique default property besides the record id: domain is not unique.
    static ObjectType companies() {
        ObjectType type = new ObjectType("0-2", "companies", "companies", "Company", "createdate", "hs_lastmodifieddate",
                List.of("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"));
        String group = "companyinformation";
        type.addProperty(HubSpotProperty.of("name", "string").labelled("Company name").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("domain", "string").labelled("Company Domain Name").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("phone", "string").labelled("Phone Number").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("city", "string").labelled("City").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("country", "string").labelled("Country/Region").hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("numberofemployees", "number").labelled("Number of Employees")
                .hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("annualrevenue", "number").labelled("Annual Revenue").hubspotDefined(group));
        type.addProperty(new HubSpotProperty("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", group,
                false, false, true, lifecycleStages()));
        type.addProperty(HubSpotProperty.of("hs_object_id", "number").labelled("Record ID").readOnly().hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("createdate", "datetime").labelled("Create Date").readOnly().hubspotDefined(group));
        type.addProperty(HubSpotProperty.of("hs_lastmodifieddate", "datetime").labelled("Last Modified Date").readOnly()
                .hubspotDefined(group));
        return type;
    }

    private static List<HubSpotProperty.Option> lifecycleStages() {
        return List.of(new HubSpotProperty.Option("Subscriber", "subscriber"),
                new HubSpotProperty.Option("Lead", "lead"),
                new HubSpotProperty.Option("Marketing Qualified Lead", "marketingqualifiedlead"),
                new HubSpotProperty.Option("Sales Qualified Lead", "salesqualifiedlead"),
                new HubSpotProperty.Option("Opportunity", "opportunity"),
                new HubSpotProperty.Option("Customer", "customer"),
                new HubSpotProperty.Option("Evangelist", "evangelist"),
                new HubSpotProperty.Option("Other", "other"));
    }
}
