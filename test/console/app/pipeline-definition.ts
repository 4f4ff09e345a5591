/**
 * The InfraMonitoring pipeline as committed when the console was written (src/pipeline/infra-monitoring.asl.json
 * at that time), frozen so that these tests do not follow its later edits: Task (Lambda, retries, Catch),
 * Wait, Task (DynamoDB), Choice, Pass, Task (SNS) and Fail states. A separate test draws the live file.
 */
export const PIPELINE_DEFINITION_OBJECT = {
  "Comment": "InfraMonitoring pipeline: collect host metrics to S3, wait for the S3-triggered processor to write DynamoDB, check the run was processed, notify by SNS. The same definition deploys to AWS Step Functions.",
  "StartAt": "CollectMetrics",
  "States": {
    "CollectMetrics": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {
        "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:data-collector",
        "Payload": {
          "executionName.$": "$$.Execution.Name",
          "startedAt.$": "$$.Execution.StartTime"
        }
      },
      "ResultSelector": {
        "runId.$": "$.Payload.runId",
        "bucket.$": "$.Payload.bucket",
        "key.$": "$.Payload.key",
        "summary.$": "$.Payload.summary"
      },
      "ResultPath": "$.collection",
      "Assign": {
        "rechecks": 0
      },
      "Retry": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "IntervalSeconds": 1,
          "MaxAttempts": 3,
          "BackoffRate": 2
        }
      ],
      "Catch": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "ResultPath": "$.error",
          "Assign": {
            "failedState": "CollectMetrics"
          },
          "Next": "NotifyFailure"
        }
      ],
      "Next": "WaitForS3Processing"
    },
    "WaitForS3Processing": {
      "Type": "Wait",
      "Seconds": 10,
      "Next": "CheckProcessingComplete"
    },
    "CheckProcessingComplete": {
      "Type": "Task",
      "Resource": "arn:aws:states:::dynamodb:getItem",
      "Parameters": {
        "TableName": "ProcessedMetrics",
        "Key": {
          "runId": {
            "S.$": "$.collection.runId"
          }
        },
        "ConsistentRead": true
      },
      "ResultPath": "$.check",
      "Retry": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "IntervalSeconds": 1,
          "MaxAttempts": 2,
          "BackoffRate": 2
        }
      ],
      "Catch": [
        {
          "ErrorEquals": [
            "States.ALL"
          ],
          "ResultPath": "$.error",
          "Assign": {
            "failedState": "CheckProcessingComplete"
          },
          "Next": "NotifyFailure"
        }
      ],
      "Next": "IsProcessed"
    },
    "IsProcessed": {
      "Type": "Choice",
      "Choices": [
        {
          "And": [
            {
              "Variable": "$.check.Item",
              "IsPresent": true
            },
            {
              "Variable": "$.check.Item.status.S",
              "StringEquals": "PROCESSED"
            }
          ],
          "Next": "NotifySuccess"
        },
        {
          "Variable": "$.check.Item",
          "IsPresent": true,
          "Next": "RecordInvalidMetrics"
        },
        {
          "Variable": "$rechecks",
          "NumericLessThan": 3,
          "Next": "CountRecheck"
        }
      ],
      "Default": "RecordNotProcessed"
    },
    "CountRecheck": {
      "Type": "Pass",
      "Assign": {
        "rechecks.$": "States.MathAdd($rechecks, 1)"
      },
      "Next": "WaitForS3Processing"
    },
    "RecordInvalidMetrics": {
      "Type": "Pass",
      "Parameters": {
        "Error": "Pipeline.InvalidMetrics",
        "Cause.$": "States.Format('The processor rejected run {}: {}', $.collection.runId, $.check.Item.reason.S)"
      },
      "ResultPath": "$.error",
      "Assign": {
        "failedState": "IsProcessed"
      },
      "Next": "NotifyFailure"
    },
    "RecordNotProcessed": {
      "Type": "Pass",
      "Parameters": {
        "Error": "Pipeline.NotProcessed",
        "Cause.$": "States.Format('Run {} (s3://{}/{}) was not processed after {} checks of ProcessedMetrics', $.collection.runId, $.collection.bucket, $.collection.key, States.MathAdd($rechecks, 1))"
      },
      "ResultPath": "$.error",
      "Assign": {
        "failedState": "CheckProcessingComplete"
      },
      "Next": "NotifyFailure"
    },
    "NotifySuccess": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sns:publish",
      "Parameters": {
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:InfraMonitoring-Alerts",
        "Subject.$": "States.Format('InfraMonitoring run {} succeeded', $.collection.runId)",
        "Message.$": "$.check.Item.summary.S"
      },
      "ResultPath": "$.notification",
      "End": true
    },
    "NotifyFailure": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sns:publish",
      "Parameters": {
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:InfraMonitoring-Alerts",
        "Subject": "InfraMonitoring pipeline failed",
        "Message.$": "States.Format('InfraMonitoring execution {} failed in state {}.\nError: {}\nCause: {}', $$.Execution.Name, $failedState, $.error.Error, $.error.Cause)"
      },
      "ResultPath": "$.notification",
      "Next": "PipelineFailed"
    },
    "PipelineFailed": {
      "Type": "Fail",
      "ErrorPath": "$.error.Error",
      "CausePath": "$.error.Cause"
    }
  }
} as const;

export const PIPELINE_DEFINITION = JSON.stringify(PIPELINE_DEFINITION_OBJECT);
