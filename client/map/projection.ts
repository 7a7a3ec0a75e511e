/**
 * The map's projection and shapes: a conic conformal projection centred between Ukraine and
 * Poland (the two countries' standard choice of family; shapes stay true at this latitude),
 * fitted to their regions. Boundaries: Natural Earth admin-1, public domain.
 */
import { geoConicConformal, geoPath, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import contextTopology from '../../server/domain/regions/data/context.topo.json' with { type: 'json' };
import { REGION_FEATURES } from '../../server/domain/regions/geometry.ts';

export const MAP_WIDTH = 1000;
export const MAP_HEIGHT = 640;

export function makeProjection(): GeoProjection {
  const all: FeatureCollection = { type: 'FeatureCollection', features: [...REGION_FEATURES.values()] };
  return geoConicConformal().parallels([45, 53]).rotate([-27, 0]).fitExtent([[12, 12], [MAP_WIDTH - 12, MAP_HEIGHT - 12]], all);
}

export function contextFeatures(): Array<Feature<Geometry, { name: string }>> {
  const topo = contextTopology as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  return (feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>).features;
}

export function pathFor(projection: GeoProjection) {
  return geoPath(projection);
}
