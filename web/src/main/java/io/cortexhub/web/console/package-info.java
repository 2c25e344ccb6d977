/**
 * The web console (Jakarta Faces): backing beans of its pages. This issue has the home page only,
 * listing nodes and recent tasks; the full console comes later.
 */
package io.cortexhub.web.console;
