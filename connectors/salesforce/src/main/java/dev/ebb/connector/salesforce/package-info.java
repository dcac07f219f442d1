/** The Salesforce destination and its sandbox. */
package dev.ebb.connector.salesforce;
