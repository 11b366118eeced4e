import type { Config } from './config';
import type { ApiKeyService, Viewer } from './datahub/api-key.service';
import type { ListService } from './datahub/list.service';
import { createLoaders, type Loaders } from './datahub/loaders';
import type { WriteService } from './datahub/write.service';
import type { Database } from './datahub/database';

/** Long-lived parts the composition root builds once (app.ts). */
export interface Services {
  config: Config;
  db: Database;
  apiKeys: ApiKeyService;
  lists: ListService;
  writes: WriteService;
}

/** Per request: who asks, and fresh DataLoaders so no cache is shared across requests or users. */
export interface Context {
  viewer: Viewer | null;
  loaders: Loaders;
  services: Services;
}

export function createContext(services: Services, viewer: Viewer | null): Context {
  return { viewer, loaders: createLoaders(services.db.dataSource), services };
}
