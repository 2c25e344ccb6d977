/**
 * Workspaces: the unit of tenancy. Nodes, tasks, join tokens and audit belong to exactly one
 * workspace; a workspace grants its nodes a set of capabilities, and a user acts only within the
 * workspaces of their token ({@link io.cortexhub.hub.workspace.WorkspaceScope}).
 */
package io.cortexhub.hub.workspace;
