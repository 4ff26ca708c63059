import { beforeAll, describe, expect, it } from 'vitest';
import { grantsOf } from '../../infra/grants.js';
import { logicalId, type SynthesizedParcelguard, synthParcelguard } from './synth-parcelguard.js';

type Resource = { Type: string; Properties: Record<string, unknown> };

const ROUTE_KEY = 'GET /v1/inspections/{partnerId}/{parcelId}';

describe('the route that opens one flagged parcel', () => {
  let parcelguard: SynthesizedParcelguard;

  beforeAll(() => {
    parcelguard = synthParcelguard();
  });

  const routeOf = (routeKey: string) =>
    Object.values(parcelguard.service.findResources('AWS::ApiGatewayV2::Route')).find(
      (candidate) => (candidate as Resource).Properties.RouteKey === routeKey,
    ) as Resource | undefined;

  it('sends it to the review function behind the staff JWT authorizer, as the queue listing', () => {
    // Prepare
    const { service, serviceStack } = parcelguard;
    const reviewId = logicalId(serviceStack.functions.review.function);
    const [integrationId] = Object.keys(
      service.findResources('AWS::ApiGatewayV2::Integration', {
        Properties: { IntegrationUri: { 'Fn::GetAtt': [reviewId, 'Arn'] } },
      }),
    );

    // Act
    const route = routeOf(ROUTE_KEY);
    const listing = routeOf('GET /v1/inspections');

    // Assess
    expect(route?.Properties).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizerId: listing?.Properties.AuthorizerId,
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
    });
  });

  it('needs no grant the review function lacks: it reads the review item and the decision', () => {
    // Act
    const grants = [...grantsOf('review')];

    // Assess
    expect(grants).toEqual(
      expect.arrayContaining(['dynamodb:GetItem reviewQueue', 'dynamodb:BatchGetItem decisions']),
    );
  });
});
