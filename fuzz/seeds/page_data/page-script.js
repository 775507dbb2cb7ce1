    // The inline script as the API Keys page renders it.
    var initialData = {
        "ApiKeys": [{"Key": 1, "Description": "say \"}\" twice", "Owner": "alice", "Scopes": ["All"], "Packages": ["A.One"], "GlobPattern": null}],
        "PackageOwners": [{"Owner": "alice", "PackageIds": ["A.One", "A.Two"], "CanPushNew": true, "CanPushExisting": true, "CanUnlist": true}]
    };
    $(function () { new ManageApiKeysViewModel(initialData); });
