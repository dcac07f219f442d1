/** The Zendesk destination and its sandbox. */
package dev.ebb.connector.zendesk;
