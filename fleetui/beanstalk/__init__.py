"""Elastic Beanstalk: applications, versions, environments and their events, plus the blue/green swap rules."""
