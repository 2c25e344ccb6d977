/**
 * Consent on the node: which commands and file operations need the owner's yes under each consent
 * mode (a conservative classifier of read-only commands), the broker that holds requests until the
 * owner answers or a timeout denies them, and the owner-only Unix socket behind {@code cortex-node
 * approvals|approve|deny}. Nothing from the hub can answer a request or change the mode.
 */
package io.cortexhub.node.consent;
