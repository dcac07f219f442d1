/** The Marketo destination and its sandbox. */
package dev.ebb.connector.marketo;
