import { AwsError } from './errors.js';
import type { Route, RouteEnv } from './route.js';
import { parsePublicAccessBlock, publicAccessBlockXml } from './s3-routes.js';

const S3_CONTROL_NS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

/** Account-level Block Public Access: `/v20180820/configuration/publicAccessBlock` + `x-amz-account-id`. */
export function routeS3Control(
  method: string,
  path: string,
  accountHeader: string | undefined,
  body: string,
  env: RouteEnv,
): Route {
  const known = path.replace(/\/$/, '') === '/v20180820/configuration/publicAccessBlock';
  const operation =
    method === 'PUT'
      ? 'PutPublicAccessBlock'
      : method === 'DELETE'
        ? 'DeletePublicAccessBlock'
        : 'GetPublicAccessBlock';
  return {
    operation: known ? `s3control:${operation}` : 's3control:Unknown',
    run: () => {
      if (!known) throw new AwsError('NotImplemented', 501, 'This S3 Control operation is not emulated');
      if (!accountHeader) throw new AwsError('InvalidRequest', 400, 'Missing x-amz-account-id header');
      if (accountHeader !== env.account.id) throw new AwsError('AccessDenied', 403, 'Access Denied');
      const account = env.account;
      if (method === 'PUT') {
        account.publicAccessBlock = parsePublicAccessBlock(body);
        return { status: 200 };
      }
      if (method === 'DELETE') {
        account.publicAccessBlock = undefined;
        return { status: 204 };
      }
      if (!account.publicAccessBlock) {
        throw new AwsError(
          'NoSuchPublicAccessBlockConfiguration',
          404,
          'The public access block configuration was not found',
          {
            AccountId: account.id,
          },
        );
      }
      return { status: 200, body: publicAccessBlockXml(account.publicAccessBlock, S3_CONTROL_NS) };
    },
  };
}
