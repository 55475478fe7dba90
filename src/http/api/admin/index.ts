import type { Deps } from '../../../deps.js';
import type { Renderer } from '../../../mail/render.js';
import { createRouter } from '../../router.js';
import type { PageSettings } from '../../pages/page-settings.js';
import { adminApiTokenRoutes } from './api-tokens.js';
import { adminBrandingRoutes } from './branding.js';
import { adminMailboxRoutes } from './mailbox.js';
import { adminReportRoutes } from './reports.js';
import { adminSettingsRoutes } from './settings.js';
import { adminTemplateVariableRoutes } from './template-variables.js';
import { adminUserRoutes } from './session.js';
import { adminSubscriberRoutes } from './subscribers.js';
import { adminTemplateRoutes } from './templates.js';

/** The console's JSON API (`/api/v1/admin/…`); access is checked before it by `adminAccess`. */
export function adminApiRoutes(
  deps: Deps,
  options: { renderer: Renderer; onPageChange?: () => void; pageSettings?: PageSettings },
) {
  const app = createRouter();
  const onPageChange = options.onPageChange ?? (() => {});
  app.route('/', adminUserRoutes(deps));
  app.route(
    '/',
    adminTemplateRoutes(deps, { renderer: options.renderer, onPageChange, pageSettings: options.pageSettings }),
  );
  app.route('/', adminApiTokenRoutes(deps));
  app.route('/', adminBrandingRoutes(deps, { onPageChange }));
  app.route('/', adminSettingsRoutes(deps, { onChange: onPageChange }));
  app.route('/', adminTemplateVariableRoutes(deps));
  app.route('/', adminReportRoutes(deps));
  app.route('/', adminSubscriberRoutes(deps));
  app.route('/', adminMailboxRoutes(deps));
  return app;
}
