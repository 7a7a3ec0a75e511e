/** `GET /api/regions` and `GET /api/regions/:code`: the region table with every external id. */
import { Router } from 'express';
import { ApiError } from '../../contract/errors.ts';
import type { RegionEntry, RegionsResponse } from '../../contract/regions.ts';
import { canonicalRegionCode, regionByCode, REGIONS, type Region } from '../../domain/regions/index.ts';

function entry(r: Region): RegionEntry {
  const { alertsInUa, alertsInUaIotIndex, ukrainealarm, alertsComUa } = r.ids;
  return {
    code: r.code,
    country: r.country,
    name: { uk: r.name.uk, en: r.name.en, pl: r.name.pl },
    labelPoint: [r.centroid[0], r.centroid[1]],
    aliases: r.legacyCode ? [r.legacyCode] : [],
    ids: {
      ...(alertsInUa !== undefined && alertsInUaIotIndex !== undefined ? { alertsInUa: { uid: alertsInUa, iotIndex: alertsInUaIotIndex } } : {}),
      ...(ukrainealarm !== undefined ? { ukrainealarm: { regionId: ukrainealarm } } : {}),
      ...(alertsComUa !== undefined ? { alertsComUa: { id: alertsComUa } } : {}),
    },
    neighbours: [...r.neighbours],
  };
}

const TABLE: RegionsResponse = { regions: REGIONS.map(entry) };

export function regionRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json(TABLE);
  });
  router.get('/:code', (req, res) => {
    const region = regionByCode(canonicalRegionCode(req.params.code) ?? '');
    if (!region) throw new ApiError('not_found', `no region has the code "${req.params.code}"; GET /api/regions lists them`);
    res.set('Cache-Control', 'public, max-age=3600').json(entry(region));
  });
  return router;
}
